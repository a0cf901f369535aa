import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePooling, poolRow, type BatchOutput } from '../../src/embed/pooling.ts';
import { l2Normalize } from '../../src/embed/vector-math.ts';

// Two rows, three positions, hidden size 2; row 1 has one padding position whose values are huge
// so that any pooling that forgets the mask shows it.
const output: BatchOutput = {
  batch: 2,
  seqLen: 3,
  hidden: 2,
  lastHiddenState: Float32Array.from([1, 2, 3, 4, 5, 6, /* row 1 */ -1, 0, 7, -8, 1000, 1000]),
  pooledOutput: Float32Array.from([0.1, 0.2, 0.3, 0.4]),
  attentionMask: [1, 1, 1, 1, 1, 0],
};

test('cls takes position 0 of the row', () => {
  assert.deepEqual(Array.from(poolRow('cls', output, 1)), [-1, 0]);
});

test('mean averages only unmasked positions', () => {
  assert.deepEqual(Array.from(poolRow('mean', output, 0)), [3, 4]);
  assert.deepEqual(Array.from(poolRow('mean', output, 1)), [3, -4]);
});

test('max ignores padding even when padding holds the largest values', () => {
  assert.deepEqual(Array.from(poolRow('max', output, 1)), [7, 0]);
});

test('pooler reads the graph pooler_output row', () => {
  assert.deepEqual(Array.from(poolRow('pooler', output, 1)), [Math.fround(0.3), Math.fround(0.4)]);
});

test('pooler without pooler_output is a clear error', () => {
  assert.throws(() => poolRow('pooler', { ...output, pooledOutput: undefined }, 0), /pooler_output/);
});

test('unknown pooling names are refused with the allowed list', () => {
  assert.throws(() => parsePooling('sum'), /cls, mean, max, pooler/);
});

test('l2Normalize gives unit length and leaves a zero vector at zero', () => {
  const v = l2Normalize(Float32Array.from([3, 4]));
  assert.deepEqual(Array.from(v), [0.6000000238418579, 0.800000011920929]);
  assert.deepEqual(Array.from(l2Normalize(new Float32Array(3))), [0, 0, 0]);
});
