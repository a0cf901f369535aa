// Upsert batches: bounded by points and by bytes, exact about the body size they announce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qdrantPoint } from '../../../src/store/qdrant/point-payload.ts';
import { upsertBatches } from '../../../src/store/qdrant/upsert-batches.ts';
import { testPoint } from '../store-fixtures.ts';

const points = (count: number, text = 'short') => Array.from({ length: count }, (_, i) => qdrantPoint(testPoint('c', `d${i}`, 0, [1, 2, 3], { text })));

test('the count bound cuts a batch of small points; the bytes given are those of the request body', () => {
  const batches = upsertBatches(points(7), { maxPoints: 3, maxBytes: 1_000_000 });

  assert.deepEqual(batches.map((b) => b.points.length), [3, 3, 1]);
  for (const batch of batches) assert.equal(batch.bytes, Buffer.byteLength(JSON.stringify({ points: batch.points })));
});

test('the byte bound cuts a batch of big points; a point bigger than the bound travels alone', () => {
  const big = points(5, 'x'.repeat(1000));
  const one = Buffer.byteLength(JSON.stringify({ points: [big[0]] }));

  const batches = upsertBatches(big, { maxPoints: 100, maxBytes: 2 * one + 10 });
  assert.deepEqual(batches.map((b) => b.points.length), [2, 2, 1]);
  assert.ok(batches.every((b) => b.bytes <= 2 * one + 10));

  assert.deepEqual(upsertBatches(big, { maxPoints: 100, maxBytes: 10 }).map((b) => b.points.length), [1, 1, 1, 1, 1]);
  assert.deepEqual(upsertBatches([], { maxPoints: 100, maxBytes: 10 }), []);
});
