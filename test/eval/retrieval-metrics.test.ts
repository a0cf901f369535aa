// The ranking metrics on hand-checked rankings: recall@k, reciprocal rank and nDCG@k.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ndcgAt, recallAt, reciprocalRankAt } from '../../src/eval/retrieval-metrics.ts';

const ranked = ['d3', 'd1', 'd7', 'd2', 'd9'];

test('recall@k counts the relevant documents found in the first k', () => {
  assert.equal(recallAt(1, ranked, new Set(['d1'])), 0);
  assert.equal(recallAt(2, ranked, new Set(['d1'])), 1);
  assert.equal(recallAt(5, ranked, new Set(['d1', 'd2', 'd8', 'd9'])), 0.75);
});

test('reciprocal rank is 1/rank of the first relevant document within k, else 0', () => {
  assert.equal(reciprocalRankAt(10, ranked, new Set(['d7', 'd2'])), 1 / 3);
  assert.equal(reciprocalRankAt(2, ranked, new Set(['d7'])), 0);
});

test('nDCG@k is 1 for an ideal ranking and discounts relevant documents by log2(rank + 1)', () => {
  assert.equal(ndcgAt(10, ranked, new Set(['d3', 'd1'])), 1);
  // One relevant document at rank 2: (1 / log2 3) / 1.
  assert.ok(Math.abs(ndcgAt(10, ranked, new Set(['d1'])) - 1 / Math.log2(3)) < 1e-12);
  // Two relevant, at ranks 1 and 4: (1 + 1/log2 5) / (1 + 1/log2 3).
  const expected = (1 + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3));
  assert.ok(Math.abs(ndcgAt(10, ranked, new Set(['d3', 'd2'])) - expected) < 1e-12);
});
