import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planBatches } from '../../src/embed/token-budget.ts';

test('every index appears exactly once and batches respect rows × padded length ≤ budget', () => {
  const lengths = Array.from({ length: 200 }, (_, i) => 3 + ((i * 37) % 120));
  const batches = planBatches(lengths, 1000);
  const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
  assert.deepEqual(seen, lengths.map((_, i) => i));
  for (const b of batches) {
    assert.equal(b.paddedLength, Math.max(...b.indices.map((i) => lengths[i])));
    assert.ok(b.indices.length * b.paddedLength <= 1000, `batch of ${b.indices.length} × ${b.paddedLength}`);
  }
});

test('texts of similar length share a batch (sorted), so padding stays small', () => {
  const batches = planBatches([100, 5, 100, 5], 400);
  assert.deepEqual(batches.map((b) => b.indices), [[1, 3, 0, 2]]);
  assert.deepEqual(planBatches([100, 5, 100, 5], 200).map((b) => b.indices), [[1, 3], [0, 2]]);
});

test('a text longer than the budget still gets a batch of its own', () => {
  assert.deepEqual(planBatches([50, 900], 100).map((b) => b.indices), [[0], [1]]);
});

test('maxBatchSize caps the rows of a batch even when the token budget would take more', () => {
  const batches = planBatches([4, 4, 4, 4, 4], 1000, 2);
  assert.deepEqual(batches.map((b) => b.indices), [[0, 1], [2, 3], [4]]);
});

test('texts of equal length keep their input order, so a batch is deterministic', () => {
  assert.deepEqual(planBatches([7, 3, 7, 3, 7], 1000).map((b) => b.indices), [[1, 3, 0, 2, 4]]);
  assert.deepEqual(planBatches([], 100), []);
});
