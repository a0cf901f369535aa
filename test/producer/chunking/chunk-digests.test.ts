// The chunker cuts exactly as it did when chunk-digests.json was written: every (tokenizer,
// settings) pair of chunk-digest-corpus.ts reproduces its digest of all chunks (start, end,
// tokens, text). A change that moves one chunk boundary or one token count anywhere fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chunkDigest, digestCorpus, digestKey, DIGEST_SETTINGS, digestTokenizers } from './chunk-digest-corpus.ts';

const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'chunk-digests.json'), 'utf8')) as Record<string, string>;
const documents = digestCorpus();
const tokenizers = digestTokenizers();

test('the fixture covers every tokenizer and setting of the corpus', () => {
  const keys = Object.keys(tokenizers).flatMap((name) => DIGEST_SETTINGS.map((settings) => digestKey(name, settings)));
  assert.deepEqual(Object.keys(expected).sort(), keys.sort());
});

for (const [name, tokenizer] of Object.entries(tokenizers)) {
  test(`${name}: chunks are byte-identical to the recorded ones at every setting`, { timeout: 120_000 }, () => {
    for (const settings of DIGEST_SETTINGS) {
      assert.equal(chunkDigest(documents, tokenizer, settings), expected[digestKey(name, settings)], digestKey(name, settings));
    }
  });
}
