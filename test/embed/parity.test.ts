// Parity with Hugging Face transformers on PyTorch: the fixture was written by
// scripts/reference/make_reference.py (torch 2.13.0, transformers 4.46.3) from the same checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { POOLINGS } from '../../src/embed/pooling.ts';
import { cosine, maxAbsDifference } from '../../src/embed/vector-math.ts';
import { testEmbedder } from '../support/model.ts';

interface ReferenceText {
  label: string;
  text: string;
  ids: number[];
  tokens: number;
  fullTokens: number;
  truncated: boolean;
  cls: number[];
  mean: number[];
  max: number[];
  pooler: number[];
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/minilm-reference.json', import.meta.url), 'utf8')) as {
  maxLength: number;
  texts: ReferenceText[];
};

test('fixture covers the hard cases (truncation, CJK, emoji, zero-width)', () => {
  const labels = reference.texts.map((t) => t.label);
  for (const needed of ['chinese', 'japanese', 'emoji', 'zero-width', 'accents', 'long-paragraph-truncated']) assert.ok(labels.includes(needed), needed);
  assert.ok(reference.texts.some((t) => t.truncated && t.fullTokens > reference.maxLength));
});

test('token ids equal Hugging Face for every text, truncated at the model limit', async () => {
  const embedder = await testEmbedder();
  assert.equal(embedder.info.maxTokens, reference.maxLength);
  const ids = embedder.tokenize(reference.texts.map((t) => t.text), true);
  reference.texts.forEach((t, i) => {
    assert.deepEqual(ids[i], t.ids, `token ids for "${t.label}"`);
    assert.equal(embedder.tokenizer.encode(t.text).length, t.fullTokens, `untruncated length for "${t.label}"`);
  });
});

for (const pooling of POOLINGS) {
  test(`${pooling} pooling matches PyTorch (cosine ≥ 0.99999, max |diff| ≤ 1e-4), fp32, unnormalised`, async () => {
    const embedder = await testEmbedder();
    const { vectors, tokens } = await embedder.embed(reference.texts.map((t) => t.text), { pooling, normalize: false, truncate: true });
    reference.texts.forEach((t, i) => {
      const expected = t[pooling];
      assert.equal(tokens[i], t.tokens, `token count for "${t.label}"`);
      assert.equal(vectors[i].length, expected.length);
      const cos = cosine(vectors[i], expected);
      const diff = maxAbsDifference(vectors[i], expected);
      assert.ok(cos >= 0.99999, `"${t.label}" ${pooling}: cosine ${cos}`);
      assert.ok(diff <= 1e-4, `"${t.label}" ${pooling}: max |diff| ${diff}`);
    });
  });
}
