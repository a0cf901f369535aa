// Chunking throughput (a script, not a test): one large document of STS Benchmark sentences in
// paragraphs, chunked with the real MiniLM tokenizer at the default settings. Sizes grow tenfold,
// so a time that grows much faster than the size would show a quadratic step.
// With --baseline DIR (a checkout of another commit, e.g. `git worktree add /tmp/base REV`) it
// instead compares the CPU time of chunking the ingest bench's corpus (bench/ingest/corpus.ts) on
// the production path (chunkDocument with documentTokenizer) between that checkout's chunker and
// this one, alternating, each round with a freshly loaded tokenizer (so no cache carries over).
//
//   npx tsx bench/producer/chunk-speed.ts [--max-mb 10]
//   npx tsx bench/producer/chunk-speed.ts --baseline DIR [--docs 5000] [--rounds 5] [--prompt TEXT]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { TextTokenizer } from '../../src/embed/tokenizer.ts';
import { resolveChunkSettings, type ChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import * as chunkTokenizerModule from '../../src/producer/chunking/chunk-tokenizer.ts';
import * as chunkerModule from '../../src/producer/chunking/chunker.ts';
import { stsSentences } from '../embed/texts.ts';
import { buildDocuments } from '../ingest/corpus.ts';

const { chunkDocument } = chunkerModule;
const { values } = parseArgs({
  options: {
    'max-mb': { type: 'string', default: '10' },
    baseline: { type: 'string' },
    docs: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    prompt: { type: 'string', default: '' },
  },
});
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

if (values.baseline !== undefined) {
  await compareWithBaseline(values.baseline);
  process.exit(0);
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

type Chunker = { chunkDocument: typeof chunkDocument; documentTokenizer: typeof chunkTokenizerModule.documentTokenizer };

/** CPU ms (user + system) of chunking every document with a fresh tokenizer, and the chunks made. */
function chunkCorpus(chunker: Chunker, documents: readonly string[], settings: ChunkSettings): { cpuMs: number; chunks: number; digest: string } {
  const files = resolveModelDir();
  const tokenizer = new TextTokenizer(JSON.parse(readFileSync(join(files, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(files, 'tokenizer_config.json'), 'utf8')));
  const started = process.cpuUsage();
  const chunkTokenizer = chunker.documentTokenizer(tokenizer, values.prompt!);
  let chunks = 0;
  const ends: number[] = [];
  documents.forEach((text, i) => {
    for (const c of chunker.chunkDocument({ id: `d${i}`, text, metadata: {} }, chunkTokenizer, settings)) {
      chunks++;
      ends.push(c.start, c.end, c.tokens);
    }
  });
  const used = process.cpuUsage(started);
  return { cpuMs: (used.user + used.system) / 1000, chunks, digest: ends.join(',') };
}

async function compareWithBaseline(dir: string): Promise<void> {
  const chunking = join(dir, 'src', 'producer', 'chunking');
  const baseline: Chunker = {
    chunkDocument: ((await import(join(chunking, 'chunker.ts'))) as typeof chunkerModule).chunkDocument,
    documentTokenizer: ((await import(join(chunking, 'chunk-tokenizer.ts'))) as typeof chunkTokenizerModule).documentTokenizer,
  };
  const current: Chunker = { chunkDocument, documentTokenizer: chunkTokenizerModule.documentTokenizer };
  const documents = buildDocuments(sentences, Number(values.docs));
  const promptTokens = values.prompt === '' ? 0 : embedder.tokenizer.encodeContent(values.prompt!).length;
  const corpusSettings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount, promptTokens });
  chunkCorpus(baseline, documents.slice(0, 500), corpusSettings); // warm up the JIT for both
  chunkCorpus(current, documents.slice(0, 500), corpusSettings);
  console.log(`${documents.length} documents, chunkTokens ${corpusSettings.chunkTokens}, overlap ${corpusSettings.overlap}, prompt ${JSON.stringify(values.prompt)}`);
  console.log('| round | baseline CPU ms | this CPU ms | ratio | load average |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  const ratios: number[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    // Alternate which goes first, so a burst of load from elsewhere does not always hit the same one.
    const [first, second] = round % 2 === 1 ? [baseline, current] : [current, baseline];
    const a = chunkCorpus(first, documents, corpusSettings);
    const b = chunkCorpus(second, documents, corpusSettings);
    const [before, after] = round % 2 === 1 ? [a, b] : [b, a];
    if (before.digest !== after.digest || before.chunks !== after.chunks) throw new Error(`round ${round}: the two chunkers cut differently`);
    ratios.push(after.cpuMs / before.cpuMs);
    console.log(`| ${round} | ${before.cpuMs.toFixed(0)} | ${after.cpuMs.toFixed(0)} | ${(after.cpuMs / before.cpuMs).toFixed(3)} | ${loadavg()[0].toFixed(2)} |`);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`median ratio (this / baseline): ${sorted[Math.floor(sorted.length / 2)].toFixed(3)}; identical chunks in every round`);
}
