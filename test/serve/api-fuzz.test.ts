// The API fuzz's property, kept by CI on a small scale (bench/faults/api-fuzz.ts runs 10,000): 300
// generated requests, valid and hostile, over real sockets to a listening server on the sample
// collection with an API key: no 5xx, no request left hanging, every error in the documented shape.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fuzzRequests, fuzzServer } from '../support/fuzz-requests.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { rawRequest } from '../support/raw-http.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const API_KEY = 'fuzz-key-7c1e';
const iso = isolatedEnv('api-fuzz');
let servers: TestSearchServers;
let port: number;

before(async () => {
  await buildSampleCollection(iso, 'articles');
  servers = testSearchServers(iso);
  const app = await servers.server({ EMBEDLINE_API_KEY: API_KEY });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

test('300 generated requests: no 5xx, no hang, every error in the documented shape', async () => {
  const requests = fuzzRequests(300, 20261129, { collection: 'articles', apiKey: API_KEY, bigBodyBytes: 256 * 1024 });
  const tally = await fuzzServer((bytes, ms) => rawRequest(port, bytes, ms), requests, { concurrency: 8, hangMs: 15_000 });
  assert.deepEqual(tally.serverErrors, []);
  assert.deepEqual(tally.hangs, []);
  assert.deepEqual(tally.badShape, []);
  // The fuzz reached the routes as well as the parser: searches succeeded and were refused.
  assert.ok((tally.byStatus[200] ?? 0) > 10, JSON.stringify(tally.byStatus));
  assert.ok((tally.byStatus[400] ?? 0) > 10, JSON.stringify(tally.byStatus));
  assert.ok((tally.byStatus[401] ?? 0) > 0, JSON.stringify(tally.byStatus));
});
