// Where a tokenizer's counts add up over whitespace (BERT WordPiece), the chunker sums cached word
// counts instead of re-tokenizing windows or the whole text; everywhere else it keeps measuring.
// chunk-digests.test.ts shows the chunks are the same either way; this shows the cheap way is taken.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasOnlySeparatingWhitespace, promptEndsApart } from '../../../src/embed/whitespace-additivity.ts';
import { resolveChunkSettings } from '../../../src/producer/chunking/chunk-settings.ts';
import { documentTokenizer, type ChunkTokenizer } from '../../../src/producer/chunking/chunk-tokenizer.ts';
import { chunkDocument } from '../../../src/producer/chunking/chunker.ts';
import { digestTokenizers } from './chunk-digest-corpus.ts';
import { prose, seededRandom } from '../text-generator.ts';

const tokenizers = digestTokenizers();

/** The tokenizer, counting its calls by kind. */
function counting(tokenizer: ChunkTokenizer): { tokenizer: ChunkTokenizer; calls: { encode: number; encodeContent: number } } {
  const calls = { encode: 0, encodeContent: 0 };
  return {
    calls,
    tokenizer: {
      encode: (text) => (calls.encode++, tokenizer.encode(text)),
      encodeContent: (text) => (calls.encodeContent++, tokenizer.encodeContent(text)),
      specialTokenCount: tokenizer.specialTokenCount,
      whitespaceAdditive: tokenizer.whitespaceAdditive,
    },
  };
}

test('BERT-family tokenizers add up over whitespace; Unigram, byte-level BPE and glued prompts do not', () => {
  const flags = Object.fromEntries(Object.entries(tokenizers).map(([name, t]) => [name, t.whitespaceAdditive]));
  assert.deepEqual(flags, {
    minilm: true,
    'minilm+passage-prompt': true,
    'minilm+unspaced-prompt': false,
    'minilm+word-prompt': false,
    'bert-cased': true,
    'mpnet-style': true,
    'mpnet-style+prompt': true,
    'unigram-metaspace': false,
    'unigram-metaspace+prompt': false,
    'byte-level-bpe': false,
  });
  assert.equal(hasOnlySeparatingWhitespace('a b\tc\nd\u00a0e\u3000f'), true);
  for (const joining of ['a\vb', 'a\fb', 'a\ufeffb']) assert.equal(hasOnlySeparatingWhitespace(joining), false, JSON.stringify(joining));
  assert.deepEqual(['', 'passage: ', 'query:', 'query', 'x\ufeff'].map(promptEndsApart), [true, true, false, false, false]);
});

test('a long document is counted from cached word counts: no window and not the whole text is tokenized', () => {
  const text = prose(seededRandom(5), 40);
  const settings = resolveChunkSettings({ maxTokens: 256, specialTokenCount: 2 });
  const base = counting(tokenizers.minilm);
  const measured = counting(tokenizers['unigram-metaspace']);

  const chunks = chunkDocument({ id: 'd', text, metadata: {} }, documentTokenizer(base.tokenizer, 'passage: '), settings);
  const first = { ...base.calls };
  chunkDocument({ id: 'd', text, metadata: {} }, measured.tokenizer, settings);
  chunkDocument({ id: 'd2', text, metadata: {} }, documentTokenizer(base.tokenizer, 'passage: '), settings);

  assert.ok(chunks.length > 5, `${chunks.length} chunks`);
  assert.equal(first.encode, 1, 'the prompt is tokenized once; no window is');
  const words = new Set(text.match(/\S+/g)).size;
  assert.ok(first.encodeContent <= words, `one call per distinct word at most: ${first.encodeContent} for ${words}`);
  assert.ok(measured.calls.encode >= chunks.length, `a tokenizer that does not add up is measured per window (${measured.calls.encode})`);
  assert.deepEqual(base.calls, { encode: 2, encodeContent: first.encodeContent }, 'word counts are kept across documents and prompts');
});
