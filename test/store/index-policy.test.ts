import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_VECTOR_INDEX_MIN_ROWS, indexThresholds, vectorIndexNeedsBuild } from '../../src/store/local/index-policy.ts';

test('thresholds default to 50000 rows and follow EMBEDLINE_INDEX_MIN_ROWS, read by config.ts; a malformed value is refused by name', () => {
  const fromEnv = (env: NodeJS.ProcessEnv) => indexThresholds({ vectorMinRows: loadConfig(env).indexMinRows });
  assert.equal(fromEnv({}).vectorMinRows, DEFAULT_VECTOR_INDEX_MIN_ROWS);
  assert.deepEqual(fromEnv({ EMBEDLINE_INDEX_MIN_ROWS: '300' }), { vectorMinRows: 300, scalarMinRows: 300 });
  for (const bad of ['lots', '0', '2.5']) {
    assert.throws(() => fromEnv({ EMBEDLINE_INDEX_MIN_ROWS: bad }), { code: 'CONFIG_INVALID', message: /EMBEDLINE_INDEX_MIN_ROWS/ });
  }
  assert.equal(indexThresholds({ vectorMinRows: 7 }).vectorMinRows, 7);
});

test('the vector index is built at the threshold, kept while it covers most rows, rebuilt once outgrown', () => {
  const thresholds = { vectorMinRows: 1000, scalarMinRows: 1000 };
  const stats = (indexed: number, unindexed: number) => ({ numIndexedRows: indexed, numUnindexedRows: unindexed, indexType: 'IVF_HNSW_SQ' });
  assert.equal(vectorIndexNeedsBuild(999, undefined, thresholds), false);
  assert.equal(vectorIndexNeedsBuild(1000, undefined, thresholds), true);
  assert.equal(vectorIndexNeedsBuild(1500, stats(1000, 500), thresholds), false);
  assert.equal(vectorIndexNeedsBuild(2500, stats(1000, 1500), thresholds), true);
});
