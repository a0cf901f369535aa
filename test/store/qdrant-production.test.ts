// What a production Qdrant does that a bare local one does not, on the stand-in: a reverse proxy
// serving it under a path on another port, an older server version, strict mode (Qdrant Cloud's
// default: filters need payload indexes), and the request counts of batch search and describe.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { QdrantClient } from '@qdrant/js-client-rest';
import { qdrantAddress } from '../../src/store/qdrant/qdrant-connection.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { MIN_QDRANT_VERSION } from '../../src/store/qdrant/server-version.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.ts';
import { runCli } from '../support/run-cli.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };
const runId = randomBytes(3).toString('hex');
let counter = 0;
const freshName = (label: string) => `qp-${runId}-${label}-${++counter}`;

describe('the QDRANT_URL', () => {
  test('without a port it means the scheme\'s port, not 6333; its path is kept as the prefix', () => {
    assert.deepEqual(qdrantAddress('https://example.com/qdrant/'), { origin: 'https://example.com', port: 443, prefix: '/qdrant', shown: 'https://example.com/qdrant' });
    assert.deepEqual(qdrantAddress('http://qdrant.internal'), { origin: 'http://qdrant.internal', port: 80, prefix: undefined, shown: 'http://qdrant.internal' });
    assert.deepEqual(qdrantAddress('http://10.0.0.5:6333'), { origin: 'http://10.0.0.5:6333', port: 6333, prefix: undefined, shown: 'http://10.0.0.5:6333' });
    assert.throws(() => qdrantAddress('ftp://example.com'), { code: 'CONFIG_INVALID' });
    assert.throws(() => qdrantAddress('not a url'), { code: 'CONFIG_INVALID' });
  });

  test('the REST client is given that address (its own default would be port 6333)', () => {
    const { origin, port, prefix } = qdrantAddress('https://example.com/qdrant');
    const client = new QdrantClient({ url: origin, port, prefix, checkCompatibility: false });
    assert.equal((client as unknown as { _restUri: string })._restUri, 'https://example.com:443/qdrant');
  });

  test('a Qdrant behind a reverse proxy under /qdrant on another port works end to end', async () => {
    const standin = await startQdrantStandin();
    const proxy = await startRecordingProxy(standin.url, { pathPrefix: '/qdrant' });
    try {
      const store = openQdrantStore({ url: `${proxy.url}/qdrant`, retry: FAST_RETRY });
      const name = freshName('proxied');
      await store.ensureCollection(name, testSpec(4));
      await store.upsert(name, [testPoint(name, 'a', 0, [1, 0, 0, 0]), testPoint(name, 'b', 0, [0, 1, 0, 0])]);
      const hits = await store.search(name, Float32Array.from([1, 0, 0, 0]), 1);

      assert.equal(hits[0].documentId, 'a');
      assert.ok(proxy.requests.length > 3);
      assert.deepEqual(proxy.requests.filter((r) => !r.path.startsWith('/qdrant/')), [], 'every request went through the prefix');
      // 404 only where Qdrant answers it: "does this collection exist yet?" before creating it.
      assert.deepEqual(proxy.requests.filter((r) => r.outcome !== 200).map((r) => `${r.method} ${r.path} ${r.outcome}`), [
        `GET /qdrant/collections/${name} 404`,
      ]);
    } finally {
      await proxy.close();
      await standin.stop();
    }
  });
});

describe('the server version', () => {
  test(`a server older than ${MIN_QDRANT_VERSION} is refused in one line naming both versions, before anything is created`, async () => {
    const standin = await startQdrantStandin({ reportVersion: '1.15.2' });
    try {
      const store = openQdrantStore({ url: standin.url, retry: FAST_RETRY });
      await rejectsWithCode(store.ensureCollection(freshName('old'), testSpec(4)), 'STORE_REJECTED', /version 1\.15\.2, older than 1\.16\.0/);
      await rejectsWithCode(store.listCollections(), 'STORE_REJECTED', /1\.15\.2.*1\.16\.0/);
      const log = await standin.requestLog();
      assert.deepEqual([...new Set(log.map((r) => `${r.method} ${r.path}`))], ['GET /'], 'only the version was read, once per attempt');

      const iso = isolatedEnv('qdrant-old');
      try {
        const cli = await runCli(['collections'], { env: { ...iso.env, QDRANT_URL: standin.url } });
        assert.notEqual(cli.code, 0);
        assert.match(cli.stderr.trim(), /^error: Qdrant at http:\/\/127\.0\.0\.1:\d+ is version 1\.15\.2, older than 1\.16\.0/);
        assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
      } finally {
        await iso.cleanup();
      }
    } finally {
      await standin.stop();
    }
  });

  test(`${MIN_QDRANT_VERSION} and newer are accepted; the version is read once per connection`, async () => {
    const standin = await startQdrantStandin({ reportVersion: '1.16.0' });
    try {
      const store = openQdrantStore({ url: standin.url, retry: FAST_RETRY });
      const name = freshName('new-enough');
      await store.ensureCollection(name, testSpec(4));
      await store.describe(name);
      assert.equal((await standin.requestLog()).filter((r) => r.path === '/').length, 1);
    } finally {
      await standin.stop();
    }
  });
});

describe('strict mode (Qdrant Cloud): every filter needs a payload index of the right type', () => {
  let standin: QdrantStandin;
  let store: VectorStore;
  let name: string;
  const query = Float32Array.from([1, 1, 1, 1]);

  before(async () => {
    standin = await startQdrantStandin({ strictMode: true });
    store = openQdrantStore({ url: standin.url, retry: FAST_RETRY });
    name = freshName('strict');
    await store.ensureCollection(name, testSpec(4));
    await store.upsert(name, [
      // As a CSV ingest stores them: every metadata value a string.
      testPoint(name, 'csv-1', 0, [1, 0, 0, 0], { metadata: { year: '2023', category: 'science' } }),
      testPoint(name, 'csv-2', 0, [0, 1, 0, 0], { metadata: { year: '2024', category: 'history' } }),
    ]);
    await store.upsert(name, [
      // As a JSONL ingest may: numbers and booleans keep their types.
      testPoint(name, 'json-1', 0, [0, 0, 1, 0], { metadata: { pages: 120, rating: 4.5, draft: false } }),
      testPoint(name, 'json-1', 1, [0, 0, 1, 1], { metadata: { pages: 120, rating: 4.5, draft: false } }),
      testPoint(name, 'json-2', 0, [0, 0, 0, 1], { metadata: { pages: 300, rating: 3, draft: true } }),
    ]);
  });
  after(async () => {
    await standin.stop();
  });

  test('the stand-in enforces it: a filter on an unindexed key is refused as Qdrant refuses it', async () => {
    const response = await fetch(`${standin.url}/collections/${name}/points/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { must: [{ key: 'metadata.unindexed', match: { value: 'x' } }] } }),
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { status: { error: string } }).status.error, /Index required but not found for "metadata\.unindexed" of one of the following types: \[keyword\]/);
  });

  test('the collection shows an index for every metadata field, of its recorded type, and records the types', async () => {
    const info = ((await (await fetch(`${standin.url}/collections/${name}`)).json()) as { result: { payload_schema: Record<string, { data_type: string }>; config: { strict_mode_config: { enabled: boolean } } } }).result;
    assert.equal(info.config.strict_mode_config.enabled, true);
    assert.deepEqual(Object.fromEntries(Object.entries(info.payload_schema).map(([k, v]) => [k, v.data_type])), {
      documentId: 'keyword',
      chunkIndex: 'integer',
      writeVersion: 'integer',
      contentHash: 'keyword',
      'metadata.year': 'keyword',
      'metadata.category': 'keyword',
      'metadata.pages': 'integer',
      'metadata.rating': 'float',
      'metadata.draft': 'bool',
    });
    assert.deepEqual((await store.describe(name))?.fields, { year: 'keyword', category: 'keyword', pages: 'integer', rating: 'float', draft: 'bool' });
  });

  test('filters of every type work under it, values read as their fields\' types (2023 finds the CSV string "2023")', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ year: 2023 }, ['csv-1']],
      [{ year: '2024' }, ['csv-2']],
      [{ year: [2023, 2024] }, ['csv-1', 'csv-2']],
      [{ category: 'science' }, ['csv-1']],
      [{ pages: 300 }, ['json-2']],
      [{ pages: '120' }, ['json-1', 'json-1']],
      [{ rating: 3 }, ['json-2']],
      [{ rating: 4.5 }, ['json-1', 'json-1']],
      [{ draft: true }, ['json-2']],
      [{ draft: 'false' }, ['json-1', 'json-1']],
      [{ documentId: 'json-2' }, ['json-2']],
    ];
    for (const [filter, documents] of cases) {
      const hits = await store.search(name, query, 10, filter as never);
      assert.deepEqual(hits.map((h) => h.documentId).sort(), documents, JSON.stringify(filter));
      assert.equal(await store.count(name, filter as never), documents.length, JSON.stringify(filter));
    }
  });

  test('a filter that can never match, or on a field no point has, is a BAD_REQUEST naming the field', async () => {
    await rejectsWithCode(store.search(name, query, 10, { pages: 'many' }), 'BAD_REQUEST', /filter\.pages: "many" can never match: "pages" is recorded as integer/);
    await rejectsWithCode(store.count(name, { colour: 'red' }), 'BAD_REQUEST', /unknown filter field "colour"/);
  });

  test("the adapter's own filtered reads and deletes work under it too", async () => {
    assert.deepEqual([...(await store.documentHashes(name, ['csv-1', 'json-1']))].map(([id]) => id).sort(), ['csv-1', 'json-1']);
    await store.deleteDocument(name, 'json-1', 1);
    assert.equal(await store.count(name, { documentId: 'json-1' }), 1);
    const log = await standin.requestLog();
    assert.deepEqual(log.filter((r) => r.status === 400 && !r.error?.includes('unindexed')), [], 'no request of the adapter was refused');
  });
});

describe('production: `embedline ingest` with QDRANT_URL (the store comes from openStore via the CLI context)', () => {
  test('the collection info on a strict-mode stand-in shows a payload index for every recorded metadata field, of its type', async () => {
    const standin = await startQdrantStandin({ strictMode: true });
    const iso = isolatedEnv('qdrant-indexes');
    try {
      const env = { ...iso.env, QDRANT_URL: standin.url };
      const file = join(iso.dir, 'books.jsonl');
      const books = [
        { id: 'b1', body: 'A field guide to the birds of northern Europe.', lang: 'en', pages: 120, rating: 4.5, draft: false },
        { id: 'b2', body: 'Baking bread at home: starters, flours and patience.', lang: 'de', pages: 300, rating: 3, draft: true },
      ];
      writeFileSync(file, books.map((b) => JSON.stringify(b)).join('\n') + '\n');
      const name = freshName('ingested');
      const ingest = await runCli(['ingest', file, '--collection', name, '--text-field', 'body', '--id-field', 'id', '--metadata-fields', 'lang,pages,rating,draft', '--json', '--no-progress'], { env });
      assert.equal(ingest.code, 0, ingest.stderr);

      // GET /collections/{alias} answers for the physical version behind it, as Qdrant does.
      const info = ((await (await fetch(`${standin.url}/collections/${name}`)).json()) as { result: { payload_schema: Record<string, { data_type: string }> } }).result;
      assert.deepEqual(Object.fromEntries(Object.entries(info.payload_schema).map(([k, v]) => [k, v.data_type])), {
        documentId: 'keyword',
        chunkIndex: 'integer',
        writeVersion: 'integer',
        contentHash: 'keyword',
        'metadata.lang': 'keyword',
        'metadata.pages': 'integer',
        'metadata.rating': 'float',
        'metadata.draft': 'bool',
      });
      // Strict mode refuses a filter without its index, so a filtered search proves they serve.
      const search = await runCli(['search', 'bread', '--collection', name, '--json', '--filter', JSON.stringify({ pages: '300', draft: true, lang: 'de' })], { env });
      assert.equal(search.code, 0, search.stderr);
      assert.deepEqual((JSON.parse(search.stdout).hits as Array<{ documentId: string }>).map((h) => h.documentId), ['b2']);
    } finally {
      await iso.cleanup();
      await standin.stop();
    }
  });
});

describe('cheap reads', () => {
  let standin: QdrantStandin;
  let proxy: RecordingProxy;
  let store: VectorStore;
  let name: string;

  before(async () => {
    standin = await startQdrantStandin();
    proxy = await startRecordingProxy(standin.url);
    store = openQdrantStore({ url: proxy.url, retry: FAST_RETRY });
    name = freshName('cheap');
    await store.ensureCollection(name, testSpec(4));
    await store.upsert(name, [0, 1, 2].map((i) => testPoint(name, `doc-${i % 2}`, Math.floor(i / 2), [1, i, 0, 0], { metadata: { lang: i ? 'en' : 'de' } })));
  });
  after(async () => {
    await proxy.close();
    await standin.stop();
  });

  test('several query vectors are one queryBatchPoints request, with the same hits as one search each', async () => {
    const vectors = [[1, 0, 0, 0], [0, 1, 0, 0], [1, 2, 0, 0]].map((v) => Float32Array.from(v));
    const singles = [];
    for (const vector of vectors) singles.push(await store.search(name, vector, 2, { lang: 'en' }));
    proxy.requests.length = 0;

    const batch = await store.searchBatch(name, vectors, 2, { lang: 'en' });

    assert.deepEqual(batch, singles);
    assert.deepEqual(
      proxy.requests.filter((r) => r.path.includes('/points/')).map((r) => `${r.method} ${r.path.split('?')[0]}`),
      [`POST /collections/${name}/points/query/batch`],
    );
  });

  test('ping (for health checks) is one request, whatever the collections hold', async () => {
    proxy.requests.length = 0;
    await store.ping();
    assert.deepEqual(proxy.requests.map((r) => `${r.method} ${r.path}`), ['GET /collections']);
  });

  test('describe reads the collection and counts only documents (one indexed count, not two exact ones)', async () => {
    proxy.requests.length = 0;
    const info = await store.describe(name);
    assert.equal(info?.points, 3);
    assert.equal(info?.documents, 2);
    const counts = proxy.requests.filter((r) => r.path.includes('/points/count'));
    assert.equal(counts.length, 1);
    assert.match(counts[0].body, /"chunkIndex"/, 'the count of chunk 0s, served by the chunkIndex index');
  });
});
