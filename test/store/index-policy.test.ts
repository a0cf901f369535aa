import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_VECTOR_INDEX_MIN_ROWS, indexThresholds, vectorIndexNeedsBuild } from '../../src/store/local/index-policy.ts';

test('thresholds default to 50000 rows, follow EMBEDLINE_INDEX_MIN_ROWS, and ignore a malformed value', () => {
  assert.equal(indexThresholds({}, {}).vectorMinRows, DEFAULT_VECTOR_INDEX_MIN_ROWS);
  assert.deepEqual(indexThresholds({}, { EMBEDLINE_INDEX_MIN_ROWS: '300' }), { vectorMinRows: 300, scalarMinRows: 300 });
  assert.equal(indexThresholds({}, { EMBEDLINE_INDEX_MIN_ROWS: 'lots' }).vectorMinRows, DEFAULT_VECTOR_INDEX_MIN_ROWS);
  assert.equal(indexThresholds({ vectorMinRows: 7 }, { EMBEDLINE_INDEX_MIN_ROWS: '300' }).vectorMinRows, 7);
});

test('the vector index is built at the threshold, kept while it covers most rows, rebuilt once outgrown', () => {
  const thresholds = { vectorMinRows: 1000, scalarMinRows: 1000 };
  const stats = (indexed: number, unindexed: number) => ({ numIndexedRows: indexed, numUnindexedRows: unindexed, indexType: 'IVF_HNSW_SQ' });
  assert.equal(vectorIndexNeedsBuild(999, undefined, thresholds), false);
  assert.equal(vectorIndexNeedsBuild(1000, undefined, thresholds), true);
  assert.equal(vectorIndexNeedsBuild(1500, stats(1000, 500), thresholds), false);
  assert.equal(vectorIndexNeedsBuild(2500, stats(1000, 1500), thresholds), true);
});
