// The Qdrant adapter against the Qdrant stand-in (Qdrant's own engine behind its OpenAPI 1.19
// document, strict: every request and answer is checked): the shared conformance suite, plus what
// only a server store has — racing creators, batching, retries, api keys, aliases, bulk-load mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { openQdrantStore, type QdrantStoreOptions } from '../../src/store/qdrant/qdrant-store.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.ts';
import { runStoreConformance } from './conformance.ts';
import { collect, rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

/** Retries in milliseconds, not seconds: the tests wait for them. */
const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

/** Requests the stand-in found outside the OpenAPI document (or answered outside it). */
async function specProblems(standin: QdrantStandin, unlessPathIncludes = '\0'): Promise<string[]> {
  return (await standin.requestLog())
    .filter((r) => r.problems?.length && !r.path.includes(unlessPathIncludes))
    .map((r) => `${r.method} ${r.path}: ${r.problems!.join('; ')}`);
}

runStoreConformance('qdrant (stand-in)', async () => {
  const standin = await startQdrantStandin({ strict: true });
  const store = openQdrantStore({ url: standin.url });
  return {
    store,
    cleanup: async () => {
      await store.close();
      const problems = await specProblems(standin);
      await standin.stop();
      assert.deepEqual(problems, [], 'every request matches the Qdrant 1.19 OpenAPI document');
    },
  };
});

describe('qdrant store', () => {
  let standin: QdrantStandin;
  const runId = randomBytes(3).toString('hex');
  let counter = 0;
  const freshName = (label: string) => `q-${runId}-${label}-${++counter}`;
  const storeAt = (url: string, options: Partial<QdrantStoreOptions> = {}) => openQdrantStore({ url, retry: FAST_RETRY, ...options });
  /** The collection as Qdrant reports it (GET /collections/{name}), bypassing the adapter. */
  const rawCollection = async (name: string) => {
    const response = await fetch(`${standin.url}/collections/${encodeURIComponent(name)}`);
    return ((await response.json()) as { result: RawCollectionInfo }).result;
  };

  before(async () => {
    standin = await startQdrantStandin({ strict: true });
  });
  after(async () => {
    await standin.stop();
  });

  describe('creating collections', () => {
    test('two clients creating one collection at once both succeed, and one collection exists', async () => {
      const name = freshName('race');
      const [a, b] = [storeAt(standin.url), storeAt(standin.url)];

      await Promise.all([a.ensureCollection(name, testSpec(4)), b.ensureCollection(name, testSpec(4))]);

      assert.deepEqual(await a.versions(name), [`${name}__v1`]);
      assert.deepEqual((await b.listCollections()).filter((c) => c.name.startsWith(name)).map((c) => [c.name, c.version]), [[name, `${name}__v1`]]);
      const creates = (await standin.requestLog()).filter((r) => r.method === 'PUT' && r.path === `/collections/${name}__v1`);
      assert.deepEqual(creates.map((r) => r.status).sort(), [200, 409], 'both created; the loser re-read the winner');
    });

    test('racing creators with different specs: the winner decides, the odd one is refused', async () => {
      const name = freshName('race-specs');
      const specs = [testSpec(4), testSpec(4), testSpec(4, 'dot')];
      const stores = specs.map(() => storeAt(standin.url));

      const results = await Promise.allSettled(stores.map((store, i) => store.ensureCollection(name, specs[i])));

      const recorded = JSON.stringify((await stores[0].describe(name))?.spec);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
      assert.deepEqual(outcomes, specs.map((spec) => (JSON.stringify(spec) === recorded ? 'ok' : 'COLLECTION_MISMATCH')));
    });

    test('an existing collection built with another distance or model is refused, listing every difference', async () => {
      const name = freshName('mismatch');
      const store = storeAt(standin.url);
      await store.ensureCollection(name, testSpec(4));

      await rejectsWithCode(
        store.ensureCollection(name, testSpec(4, 'dot', { model: 'other' })),
        'COLLECTION_MISMATCH',
        /model: collection has "test-model", requested "other"; normalize: collection has true, requested false; distance: collection has "cosine", requested "dot"/,
      );
    });

    test('the spec lives in the collection metadata; vectors are sized and compared as the spec says', async () => {
      const name = freshName('layout');
      await storeAt(standin.url).ensureCollection(name, testSpec(6, 'dot'));

      const { config } = await rawCollection(`${name}__v1`);
      assert.deepEqual(config.params.vectors, { size: 6, distance: 'Dot' });
      assert.deepEqual(config.metadata, { embedline_spec: testSpec(6, 'dot') });
    });

    test('payload indexes: documentId, chunkIndex and writeVersion from creation; each metadata field with its recorded type before its first point', async () => {
      const name = freshName('indexes');
      const store = storeAt(standin.url);
      await store.ensureCollection(name, testSpec(4));
      const indexTypes = async () => Object.fromEntries(Object.entries((await rawCollection(name)).payload_schema).map(([k, v]) => [k, v.data_type]));
      assert.deepEqual(await indexTypes(), { documentId: 'keyword', chunkIndex: 'integer', writeVersion: 'integer', contentHash: 'keyword' });

      await store.upsert(name, [testPoint(name, 'a', 0, [1, 0, 0, 0], { metadata: { lang: 'en', 'a b': 'x', year: 2023, draft: true } })]);
      await store.upsert(name, [testPoint(name, 'b', 0, [0, 1, 0, 0], { metadata: { year: 2024.5, rating: 4.5, gone: null } })]);

      assert.deepEqual(await indexTypes(), {
        documentId: 'keyword',
        chunkIndex: 'integer',
        writeVersion: 'integer',
        contentHash: 'keyword',
        'metadata.lang': 'keyword',
        'metadata."a b"': 'keyword',
        'metadata.year': 'float', // widened by the fraction
        'metadata.draft': 'bool',
        'metadata.rating': 'float',
      });
      assert.deepEqual((await store.describe(name))?.fields, { lang: 'keyword', 'a b': 'keyword', year: 'float', draft: 'bool', rating: 'float' });
    });
  });

  test('payload: chunk fields at the top level, metadata nested, the write version beside them; keys that need quoting still filter', async () => {
    const name = freshName('payload');
    const store = storeAt(standin.url);
    await store.ensureCollection(name, testSpec(4));
    const point = testPoint(name, 'doc', 0, [1, 0, 0, 0], { metadata: { 'a b': 'x', 'v1.2': 'y', lang: 'en' } });
    await store.upsert(name, [point]);

    const response = await fetch(`${standin.url}/collections/${name}/points/scroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const [record] = ((await response.json()) as { result: { points: Array<{ payload: unknown }> } }).result.points;
    const { metadata, ...fields } = point.chunk;
    assert.deepEqual(record.payload, { ...fields, metadata, writeVersion: 0 });
    assert.equal(await store.count(name, { 'a b': 'x' }), 1);
    assert.equal(await store.count(name, { 'v1.2': 'y', lang: 'en' }), 1);
    assert.equal(await store.count(name, { 'v1.2': 'y', lang: 'de' }), 0);
    await rejectsWithCode(store.count(name, { 'say "hi"': 'x' }), 'BAD_REQUEST', /double quote/);
  });

  test('points written before versions (no writeVersion in the payload) count as version 0: replaced by a versioned write, removed by a versioned delete', async () => {
    const name = freshName('pre-versions');
    const store = storeAt(standin.url);
    await store.ensureCollection(name, testSpec(4));
    const old = [testPoint(name, 'd', 0, [1, 0, 0, 0]), testPoint(name, 'd', 1, [0, 1, 0, 0]), testPoint(name, 'e', 0, [0, 0, 1, 0])];
    const points = old.map(({ id, vector, chunk }) => ({ id, vector: Array.from(vector), payload: { ...chunk } }));
    const response = await fetch(`${standin.url}/collections/${name}/points?wait=true`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ points }) });
    assert.equal(response.status, 200, await response.text());
    assert.equal(await store.highestVersion(name), 0);
    assert.deepEqual((await store.upsert(name, [testPoint(name, 'd', 0, [1, 1, 0, 0], { version: 3, text: 'd v3' })])).stored, [true]);
    await store.deleteDocument(name, 'e', 0, 2);
    const chunks = (await collect(store.chunks(name))).map((c) => `${c.documentId}:${c.chunkIndex}:${c.text}`);
    assert.deepEqual(chunks, ['d:0:d v3'], 'the new version replaced chunk 0, its older chunk 1 went, e was deleted');
    assert.equal(await store.highestVersion(name), 3);
  });

  describe('through a recording proxy', () => {
    let proxy: RecordingProxy;
    before(async () => {
      proxy = await startRecordingProxy(standin.url);
    });
    after(async () => {
      await proxy.close();
    });
    const requestsTo = (name: string, method: string, suffix: string) =>
      proxy.requests.filter((r) => r.method === method && r.path.split('?')[0] === `/collections/${name}${suffix}`);

    test('a large upsert is cut by bytes and by count, with wait=true, two requests in flight at most', async () => {
      const name = freshName('batches');
      const limits = { maxPoints: 40, maxBytes: 64 * 1024 };
      const store = storeAt(proxy.url, { batchLimits: limits });
      await store.ensureCollection(name, testSpec(8));
      const longText = 'x'.repeat(3000); // ~3.2 KB a point: about 20 points fill 64 KB
      const points = [
        ...Array.from({ length: 200 }, (_, i) => testPoint(name, `long-${i}`, 0, [i, 1, 0, 0, 0, 0, 0, 1], { text: longText })),
        ...Array.from({ length: 100 }, (_, i) => testPoint(name, `short-${i}`, 0, [1, i, 0, 0, 0, 0, 0, 1])),
      ];

      await store.upsert(name, points);

      const puts = requestsTo(name, 'PUT', '/points');
      const sizes = puts.map((r) => r.bodyBytes);
      const counts = puts.map((r) => (JSON.parse(r.body) as { points: unknown[] }).points.length);
      assert.ok(sizes.every((bytes) => bytes <= limits.maxBytes), `body sizes ${sizes}`);
      assert.ok(counts.every((n) => n <= limits.maxPoints), `points per request ${counts}`);
      assert.ok(counts.some((n) => n < limits.maxPoints) && counts.includes(limits.maxPoints), `both limits bind: ${counts}`);
      assert.equal(counts.reduce((a, b) => a + b, 0), points.length);
      assert.ok(puts.every((r) => r.path.includes('wait=true')));
      assert.ok(proxy.maxInFlight(`/collections/${name}/points`) <= 2);
      // The stand-in saw the same requests, all applied.
      const applied = (await standin.requestLog()).filter((r) => r.method === 'PUT' && r.path === `/collections/${name}/points` && r.status === 200);
      assert.equal(applied.length, puts.length);
      assert.equal(await store.count(name), points.length);
    });

    test('503 answers and connection resets are retried until the write goes through', async () => {
      const name = freshName('retry');
      const store = storeAt(proxy.url);
      await store.ensureCollection(name, testSpec(4));
      const faults: Array<number | 'reset'> = [503, 'reset', 502];
      proxy.setFault(({ method }) => (method === 'PUT' ? faults.shift() : undefined));

      try {
        await store.upsert(name, [testPoint(name, 'a', 0, [1, 0, 0, 0])]);
      } finally {
        proxy.setFault(undefined);
      }

      assert.deepEqual(requestsTo(name, 'PUT', '/points').map((r) => r.outcome), [503, 'reset', 502, 200]);
      assert.equal(await store.count(name), 1);
    });

    test('a server that keeps failing ends in STORE_UNAVAILABLE, retryable, after the configured attempts', async () => {
      const name = freshName('down');
      const store = storeAt(proxy.url);
      await store.ensureCollection(name, testSpec(4));
      proxy.setFault(({ path }) => (path.startsWith(`/collections/${name}/points/count`) ? 503 : undefined));

      try {
        await assert.rejects(store.count(name), (err: { code: string; retryable: boolean; message: string }) => {
          assert.equal(err.code, 'STORE_UNAVAILABLE');
          assert.equal(err.retryable, true);
          assert.match(err.message, /after 4 attempts: 503 injected by the test proxy/);
          return true;
        });
      } finally {
        proxy.setFault(undefined);
      }
      assert.equal(requestsTo(name, 'POST', '/points/count').length, FAST_RETRY.attempts);
    });

    test('a refusal (4xx) is final: STORE_REJECTED with Qdrant\'s message, sent once', async () => {
      const name = freshName('refused');
      const store = storeAt(proxy.url);
      await store.ensureCollection(name, testSpec(4));

      // NaN has no JSON form: the body carries null, which Qdrant's schema refuses.
      await assert.rejects(store.upsert(name, [testPoint(name, 'a', 0, [1, Number.NaN, 0, 0])]), (err: { code: string; retryable: boolean; message: string }) => {
        assert.equal(err.code, 'STORE_REJECTED');
        assert.equal(err.retryable, false);
        assert.match(err.message, /400 Format error in JSON body/);
        return true;
      });
      assert.equal(requestsTo(name, 'PUT', '/points').length, 1);
      assert.equal((await specProblems(standin)).filter((p) => p.includes(name)).length, 1, 'the stand-in refused it by the OpenAPI schema');
    });

    test('activateVersion switches the name with one aliases request; searches see old or new, never nothing', async () => {
      const name = freshName('switch');
      const store = storeAt(proxy.url);
      await store.ensureCollection(name, testSpec(4));
      await store.upsert(name, [testPoint(name, 'old', 0, [1, 0, 0, 0])]);
      const next = await store.createVersion(name, testSpec(4));
      await store.upsert(next, [testPoint(name, 'new', 0, [1, 0, 0, 0])]);

      const seen = new Set<string>();
      let switched = false;
      const searching = (async () => {
        while (!switched) {
          const hits = await store.search(name, Float32Array.from([1, 0, 0, 0]), 5);
          seen.add(hits.map((h) => h.documentId).join(','));
        }
      })();
      const aliasCallsBefore = proxy.requests.filter((r) => r.path.startsWith('/collections/aliases')).length;
      const previous = await store.activateVersion(name, next);
      await new Promise((resolve) => setTimeout(resolve, 50));
      switched = true;
      await searching;

      assert.equal(previous, `${name}__v1`);
      assert.ok([...seen].every((s) => s === 'old' || s === 'new'), `search results during the switch: ${[...seen]}`);
      assert.deepEqual((await store.search(name, Float32Array.from([1, 0, 0, 0]), 5)).map((h) => h.documentId), ['new']);
      const aliasCalls = proxy.requests.filter((r) => r.path.startsWith('/collections/aliases')).slice(aliasCallsBefore);
      assert.deepEqual(aliasCalls.map((r) => JSON.parse(r.body)), [
        { actions: [{ delete_alias: { alias_name: name } }, { create_alias: { collection_name: next, alias_name: name } }] },
      ]);
      // The previous version answers by its physical name until it is dropped.
      assert.deepEqual((await store.search(previous!, Float32Array.from([1, 0, 0, 0]), 5)).map((h) => h.documentId), ['old']);
      await store.dropCollection(previous!);
      await rejectsWithCode(store.search(previous!, Float32Array.from([1, 0, 0, 0]), 5), 'COLLECTION_MISSING');
    });
  });

  test('an unreachable server (connection refused) ends in STORE_UNAVAILABLE naming the cause', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const store = storeAt(`http://127.0.0.1:${closedPort}`);

    await assert.rejects(store.describe('anything'), (err: { code: string; retryable: boolean; message: string }) => {
      assert.equal(err.code, 'STORE_UNAVAILABLE');
      assert.equal(err.retryable, true);
      assert.match(err.message, new RegExp(`Qdrant at http://127.0.0.1:${closedPort} is unavailable: .*after 4 attempts.*ECONNREFUSED`));
      return true;
    });
  });

  describe('bulk-load mode', () => {
    test('beginBulkLoad sets indexing_threshold 0 and remembers the old value; optimize restores it', async () => {
      const name = freshName('bulk');
      const store = storeAt(standin.url);
      await store.ensureCollection(name, testSpec(4));
      const before = (await rawCollection(name)).config.optimizer_config.indexing_threshold;

      await store.beginBulkLoad(name);
      await store.beginBulkLoad(name); // a second begin changes nothing
      const during = (await rawCollection(name)).config;
      await store.upsert(name, [testPoint(name, 'a', 0, [1, 0, 0, 0]), testPoint(name, 'b', 0, [0, 1, 0, 0])]);
      assert.deepEqual((await store.search(name, Float32Array.from([0, 1, 0, 0]), 1)).map((h) => h.documentId), ['b']);
      await store.optimize(name);
      const restored = (await rawCollection(name)).config;

      assert.equal(before, 10_000);
      assert.equal(during.optimizer_config.indexing_threshold, 0);
      assert.deepEqual(during.metadata?.embedline_bulk_load, { indexing_threshold: 10_000 });
      assert.equal(restored.optimizer_config.indexing_threshold, 10_000);
      assert.deepEqual(restored.metadata, { embedline_spec: testSpec(4) });
      const patches = (await standin.requestLog()).filter((r) => r.method === 'PATCH' && r.path === `/collections/${name}__v1`);
      assert.equal(patches.length, 2, 'one PATCH to begin, one to end');
    });

    test('a threshold the operator tuned is restored as it was; optimize outside a bulk load changes nothing', async () => {
      const name = freshName('bulk-tuned');
      const store = storeAt(standin.url);
      await store.ensureCollection(name, testSpec(4));
      const tune = await fetch(`${standin.url}/collections/${name}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ optimizers_config: { indexing_threshold: 5000 } }),
      });
      assert.equal(tune.status, 200);

      await store.optimize(name);
      await store.beginBulkLoad(name);
      await store.endBulkLoad(name);

      assert.equal((await rawCollection(name)).config.optimizer_config.indexing_threshold, 5000);
      const patches = (await standin.requestLog()).filter((r) => r.method === 'PATCH' && r.path === `/collections/${name}__v1`);
      assert.equal(patches.length, 2, 'optimize outside a bulk load sent no PATCH');
    });

    test('bulk-load calls on a missing collection fail with COLLECTION_MISSING', async () => {
      const store = storeAt(standin.url);
      await rejectsWithCode(store.beginBulkLoad(freshName('nope')), 'COLLECTION_MISSING');
      await rejectsWithCode(store.endBulkLoad(freshName('nope')), 'COLLECTION_MISSING');
    });
  });

  test('documentIds and chunks page through a collection larger than one scroll page', async () => {
    const name = freshName('paging');
    const store = storeAt(standin.url);
    await store.ensureCollection(name, testSpec(4));
    const points = Array.from({ length: 600 }, (_, i) => testPoint(name, `doc-${Math.floor(i / 2)}`, i % 2, [1, i, 0, 0]));
    await store.upsert(name, points);

    assert.equal(new Set(await collect(store.documentIds(name))).size, 300);
    assert.equal((await collect(store.chunks(name))).length, 600);
    const ids = Array.from({ length: 300 }, (_, i) => `doc-${i}`);
    assert.equal((await store.documentHashes(name, [...ids, 'missing'])).size, 300);
  });

  describe('api key', () => {
    let secured: QdrantStandin;
    before(async () => {
      secured = await startQdrantStandin({ apiKey: 'right-key', strict: true });
    });
    after(async () => {
      await secured.stop();
    });

    test('a wrong or missing key is refused at once with a message that names QDRANT_API_KEY', async () => {
      for (const [apiKey, qdrantSays] of [['wrong-key', /Invalid API key/], [undefined, /Must provide an API key/]] as const) {
        const store = storeAt(secured.url, { apiKey });
        await assert.rejects(store.ensureCollection(freshName('auth'), testSpec(4)), (err: { code: string; retryable: boolean; message: string }) => {
          assert.equal(err.code, 'STORE_REJECTED');
          assert.equal(err.retryable, false);
          assert.match(err.message, /refused to read the collection .*: 401 /);
          assert.match(err.message, qdrantSays);
          assert.match(err.message, /QDRANT_API_KEY/);
          return true;
        });
      }
      const unauthorised = (await secured.requestLog()).filter((r) => r.status === 401);
      assert.equal(unauthorised.length, 2, 'a 401 is not retried');
    });

    test('the right key works', async () => {
      const name = freshName('auth-ok');
      const store = storeAt(secured.url, { apiKey: 'right-key' });
      await store.ensureCollection(name, testSpec(4));
      assert.equal((await store.describe(name))?.version, `${name}__v1`);
    });
  });

  test('openStore returns the Qdrant store when a Qdrant URL is given', async () => {
    const store = openStore({ qdrantUrl: standin.url });
    assert.equal(store.kind, 'qdrant');
    await store.close();
  });

  test('every request the adapter sent matched the Qdrant 1.19 OpenAPI document (but the deliberately refused one)', async () => {
    assert.deepEqual(await specProblems(standin, '-refused-'), []);
  });
});

/** The parts of Qdrant's CollectionInfo these tests read. */
interface RawCollectionInfo {
  config: {
    params: { vectors: unknown };
    optimizer_config: { indexing_threshold: number | null };
    metadata?: Record<string, unknown>;
  };
  payload_schema: Record<string, { data_type: string }>;
}
