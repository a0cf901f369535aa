// Server-side failures: an unexpected error is a bare 500 with no internals (the log has them), and
// our own errors keep their status from the one table (a store that is down is 503, and says so).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { EmbedlineError } from '../../src/errors.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { buildSearchServer } from '../../src/serve/build-search-server.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';

function failingStore(error: Error): VectorStore {
  const fail = async () => {
    throw error;
  };
  return { kind: 'fake', describe: fail, listCollections: async () => [], count: fail, search: fail } as unknown as VectorStore;
}

async function searchWith(store: VectorStore) {
  const app = await buildSearchServer({ store, models: new CollectionModels('/nonexistent'), config: loadConfig({}) });
  try {
    return await app.inject({ method: 'POST', url: '/v1/collections/docs/search', payload: { query: 'stars' } });
  } finally {
    await app.close();
  }
}

test('an unexpected error is a 500 with a generic message and no stack trace', async () => {
  const res = await searchWith(failingStore(new TypeError('cannot read x of undefined at /srv/secret/file.ts:12:3')));
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json(), { error: { code: 'INTERNAL', message: 'internal error; the server log has the details', request_id: res.headers['x-request-id'] } });
});

test('a store that is down is a 503 STORE_UNAVAILABLE with its message', async () => {
  const res = await searchWith(failingStore(new EmbedlineError('STORE_UNAVAILABLE', 'cannot reach the store', { retryable: true })));
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json(), { error: { code: 'STORE_UNAVAILABLE', message: 'cannot reach the store', request_id: res.headers['x-request-id'] } });
});
