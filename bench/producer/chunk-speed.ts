// Chunking throughput (a script, not a test): one large document of STS Benchmark sentences in
// paragraphs, chunked with the real MiniLM tokenizer at the default settings. Sizes grow tenfold,
// so a time that grows much faster than the size would show a quadratic step.
//
//   npx tsx bench/producer/chunk-speed.ts [--max-mb 10]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { stsSentences } from '../embed/texts.ts';

const { values } = parseArgs({ options: { 'max-mb': { type: 'string', default: '10' } } });
const maxChars = Number(values['max-mb']) * 1_000_000;

const embedder = await loadEmbedder(resolveModelDir());
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const sentences = stsSentences(join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);

/** Sentences in paragraphs of seven, cycling through the set until the text reaches `size` characters. */
function document(size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const piece = sentences[i % sentences.length] + (i % 7 === 6 ? '\n\n' : ' ');
    parts.push(piece);
    length += piece.length;
  }
  return parts.join('');
}

// Warm up the tokenizer and the JIT on a small document first.
chunkDocument({ id: 'warm-up', text: document(200_000), metadata: {} }, embedder.tokenizer, settings);

console.log(`chunkTokens ${settings.chunkTokens}, overlap ${settings.overlap}, model ${embedder.info.name}`);
console.log('| document | chunks | seconds | chunks/s | MB/s | mean tokens/chunk |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (let size = 100_000; size <= maxChars; size *= 10) {
  const text = document(size);
  const started = performance.now();
  const chunks = chunkDocument({ id: 'bench', text, metadata: {} }, embedder.tokenizer, settings);
  const seconds = (performance.now() - started) / 1000;
  const meanTokens = chunks.reduce((sum, c) => sum + c.tokens, 0) / chunks.length;
  console.log(
    `| ${(text.length / 1e6).toFixed(1)} MB | ${chunks.length} | ${seconds.toFixed(2)} | ${Math.round(chunks.length / seconds)} | ${(text.length / 1e6 / seconds).toFixed(2)} | ${meanTokens.toFixed(0)} |`,
  );
}
