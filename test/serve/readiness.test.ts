// /readyz says whether searches can be answered, so it must notice when the store cannot answer:
// the data folder deleted under a running server made every search a 404 while /readyz stayed 200.
// Now the embedded store reports its folder gone (STORE_UNAVAILABLE): /readyz and /health are 503
// and searches are 503 too, not 404 "does not exist".
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { specForModel } from '../../src/contracts/collection-spec.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { sampleArticles, upsertArticles } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('readiness');
let servers: TestSearchServers;

before(async () => {
  servers = testSearchServers(iso);
  const embedder = await testEmbedder();
  await servers.store.ensureCollection('notes', specForModel(embedder.info, { pooling: 'mean', chunkTokens: 254, overlap: 0 }));
  await upsertArticles(servers.store, 'notes', sampleArticles().slice(0, 3));
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

test('the data folder deleted under serve: /readyz 503 naming it, searches 503, not 200 and 404s', async () => {
  const app = await servers.server();
  // A new query each time: a repeated one may come from the query cache.
  const search = (query: string) => app.inject({ method: 'POST', url: '/v1/collections/notes/search', payload: { query } });
  assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  assert.equal((await search('stars')).statusCode, 200);

  rmSync(iso.dataDir, { recursive: true, force: true });

  const ready = await app.inject({ url: '/readyz' });
  assert.equal(ready.statusCode, 503, ready.body);
  assert.equal(ready.json().status, 'unavailable');
  assert.match(ready.json().store.error, new RegExp(`^the data folder ${iso.dataDir} is gone \\(deleted while this process ran\\)`));
  assert.equal((await app.inject({ url: '/health' })).statusCode, 503);
  const res = await search('black holes');
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().error.code, 'STORE_UNAVAILABLE');
});
