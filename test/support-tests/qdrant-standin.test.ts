// The Qdrant stand-in, driven by the real @qdrant/js-client-rest, in strict mode
// (every request and every response checked against Qdrant's OpenAPI document).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { QdrantClient } from '@qdrant/js-client-rest';

import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';

interface ApiFailure {
  status: number;
  data: unknown;
}

/** Asserts the call fails with this HTTP status and a Qdrant error message containing `fragment`. */
async function rejectsWith(call: () => Promise<unknown>, status: number, fragment: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    const failure = error as ApiFailure;
    assert.equal(failure.status, status, `status; body: ${JSON.stringify(failure.data)}`);
    assert.match(errorText(failure.data), new RegExp(escape(fragment)));
    return true;
  });
}

function errorText(data: unknown): string {
  if (typeof data === 'string') return data;
  return (data as { status?: { error?: string } })?.status?.error ?? JSON.stringify(data);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const DIM = 4;

function pointsFor(doc: string, count: number, base: number[]) {
  return Array.from({ length: count }, (_, chunk) => ({
    id: randomUUID(),
    vector: base.map((x, i) => x + (i === chunk % DIM ? 0.01 * (chunk + 1) : 0)),
    payload: { doc, chunk },
  }));
}

describe('qdrant stand-in', () => {
  let standin: QdrantStandin;
  let client: QdrantClient;

  before(async () => {
    standin = await startQdrantStandin();
    client = new QdrantClient({ url: standin.url });
  });

  after(async () => {
    await standin?.stop();
  });

  test('answers the service endpoints', async () => {
    const root = (await (await fetch(`${standin.url}/`)).json()) as { title: string; version: string };
    assert.equal(root.title, 'qdrant - vector search engine');
    assert.match(root.version, /^1\.19\./);
    assert.equal(await (await fetch(`${standin.url}/healthz`)).text(), 'healthz check passed');
    assert.equal((await fetch(`${standin.url}/readyz`)).status, 200);
  });

  test('creates a collection, upserts UUID points, queries with a filter and counts', async () => {
    await client.createCollection('chunks', { vectors: { size: DIM, distance: 'Cosine' } });
    assert.deepEqual(await client.collectionExists('chunks'), { exists: true });
    await client.createPayloadIndex('chunks', { field_name: 'doc', field_schema: 'keyword', wait: true });

    const alpha = pointsFor('alpha', 3, [1, 0, 0, 0]);
    const beta = pointsFor('beta', 3, [0, 1, 0, 0]);
    const upserted = await client.upsert('chunks', { wait: true, points: [...alpha, ...beta] });
    assert.equal(upserted.status, 'completed');

    const hits = await client.query('chunks', {
      query: [1, 0, 0, 0],
      filter: { must: [{ key: 'doc', match: { value: 'alpha' } }] },
      limit: 10,
      with_payload: true,
    });
    assert.equal(hits.points.length, 3);
    assert.ok(hits.points.every((p) => (p.payload as { doc: string }).doc === 'alpha'));
    assert.ok(hits.points.every((p) => alpha.some((a) => a.id === p.id)), 'UUID ids come back as sent');
    const scores = hits.points.map((p) => p.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best first');
    assert.ok(scores[0]! > 0.99 && scores[0]! <= 1.0001, `cosine of near-identical vectors, got ${scores[0]}`);

    const either = await client.query('chunks', {
      query: [0, 1, 0, 0],
      filter: { should: [{ key: 'doc', match: { any: ['beta', 'gamma'] } }] },
      score_threshold: 0.5,
      with_payload: ['doc'],
    });
    assert.equal(either.points.length, 3);
    assert.ok(either.points.every((p) => (p.payload as { doc: string }).doc === 'beta'));

    assert.deepEqual(await client.count('chunks', { exact: true }), { count: 6 });
    assert.deepEqual(
      await client.count('chunks', { filter: { must: [{ key: 'doc', match: { value: 'beta' } }] }, exact: true }),
      { count: 3 },
    );

    const info = await client.getCollection('chunks');
    assert.equal(info.points_count, 6);
    assert.equal(info.payload_schema.doc?.data_type, 'keyword');
    assert.deepEqual(info.config.params.vectors, { size: DIM, distance: 'Cosine' });

    const [first] = await client.retrieve('chunks', { ids: [alpha[0]!.id], with_vector: true });
    assert.equal(first?.id, alpha[0]!.id);
    const stored = first?.vector as number[];
    const norm = Math.hypot(...stored);
    assert.ok(Math.abs(norm - 1) < 1e-5, `Cosine collections store normalised vectors, norm ${norm}`);
  });

  test('Dot does not normalise', async () => {
    await client.createCollection('dot', { vectors: { size: 2, distance: 'Dot' } });
    await client.upsert('dot', { wait: true, points: [{ id: 7, vector: [2, 0] }] });
    const hits = await client.query('dot', { query: [3, 0] });
    assert.equal(hits.points[0]?.id, 7);
    assert.ok(Math.abs(hits.points[0]!.score - 6) < 1e-5, `dot product 6, got ${hits.points[0]!.score}`);
    await client.deleteCollection('dot');
    assert.deepEqual(await client.collectionExists('dot'), { exists: false });
  });

  test('deletes by filter and by id, scrolls what is left', async () => {
    await client.createCollection('deletes', { vectors: { size: DIM, distance: 'Cosine' } });
    const keep = pointsFor('keep', 4, [0, 0, 1, 0]);
    const drop = pointsFor('drop', 4, [0, 0, 0, 1]);
    await client.upsert('deletes', { wait: true, points: [...keep, ...drop] });

    await client.delete('deletes', { wait: true, filter: { must: [{ key: 'doc', match: { value: 'drop' } }] } });
    await client.delete('deletes', { wait: true, points: [keep[0]!.id] });

    const page = await client.scroll('deletes', { limit: 100, with_payload: true });
    assert.equal(page.points.length, 3);
    assert.ok(page.points.every((p) => (p.payload as { doc: string }).doc === 'keep'));
    assert.equal(page.next_page_offset ?? null, null);
  });

  test('switches an alias atomically', async () => {
    await client.createCollection('index_v1', { vectors: { size: DIM, distance: 'Cosine' } });
    await client.createCollection('index_v2', { vectors: { size: DIM, distance: 'Cosine' } });
    await client.upsert('index_v1', { wait: true, points: pointsFor('v1', 3, [1, 0, 0, 0]) });
    await client.upsert('index_v2', { wait: true, points: pointsFor('v2', 5, [1, 0, 0, 0]) });
    await client.updateCollectionAliases({
      actions: [{ create_alias: { alias_name: 'live', collection_name: 'index_v1' } }],
    });

    const docsVia = async (name: string) => {
      const hits = await client.query(name, { query: [1, 0, 0, 0], limit: 10, with_payload: true });
      return new Set(hits.points.map((p) => (p.payload as { doc: string }).doc));
    };
    assert.deepEqual(await docsVia('live'), new Set(['v1']));
    assert.equal((await client.getCollection('live')).points_count, 3, 'GET collection follows the alias');

    // Readers racing a run of switches only ever see one whole collection, never a missing alias.
    const readers = Array.from({ length: 40 }, () => docsVia('live'));
    for (let i = 0; i < 10; i++) {
      const target = i % 2 === 0 ? 'index_v2' : 'index_v1';
      await client.updateCollectionAliases({
        actions: [
          { delete_alias: { alias_name: 'live' } },
          { create_alias: { alias_name: 'live', collection_name: target } },
        ],
      });
    }
    for (const seen of await Promise.all(readers)) {
      assert.equal(seen.size, 1, `one collection per answer, saw ${[...seen]}`);
    }
    assert.deepEqual(await docsVia('live'), new Set(['v1']));

    // A batch with a failing action changes nothing.
    await rejectsWith(
      () =>
        client.updateCollectionAliases({
          actions: [
            { delete_alias: { alias_name: 'live' } },
            { create_alias: { alias_name: 'live', collection_name: 'missing' } },
          ],
        }),
      404,
      "Collection `missing` doesn't exist!",
    );
    assert.deepEqual(await docsVia('live'), new Set(['v1']));

    await client.updateCollectionAliases({
      actions: [{ rename_alias: { old_alias_name: 'live', new_alias_name: 'current' } }],
    });
    assert.deepEqual((await client.getAliases()).aliases, [{ alias_name: 'current', collection_name: 'index_v1' }]);
    assert.deepEqual((await client.getCollectionAliases('index_v1')).aliases, [
      { alias_name: 'current', collection_name: 'index_v1' },
    ]);
    await rejectsWith(() => client.query('live', { query: [1, 0, 0, 0] }), 404, "Collection `live` doesn't exist!");
  });

  test('switches to bulk-load mode and back with PATCH', async () => {
    await client.createCollection('bulk', {
      vectors: { size: DIM, distance: 'Cosine' },
      optimizers_config: { indexing_threshold: 0 },
    });
    assert.equal((await client.getCollection('bulk')).config.optimizer_config.indexing_threshold, 0);
    await client.upsert('bulk', { wait: true, points: pointsFor('bulk', 20, [0, 1, 1, 0]) });
    await client.updateCollection('bulk', { optimizers_config: { indexing_threshold: 20000 } });
    const info = await client.getCollection('bulk');
    assert.equal(info.config.optimizer_config.indexing_threshold, 20000);
    assert.equal(info.points_count, 20);
    assert.equal(info.status, 'green');
    assert.equal((await client.query('bulk', { query: [0, 1, 1, 0], limit: 5 })).points.length, 5);
  });

  test('keeps the collection metadata field', async () => {
    // The JS client's createCollection() drops `metadata`; the generated API passes it through.
    await client.api().createCollection({
      collection_name: 'with_meta',
      vectors: { size: DIM, distance: 'Dot' },
      metadata: { model: 'bge-small', dims: DIM },
    });
    await client.updateCollection('with_meta', { metadata: { dims: null, run: 'r1' } });
    assert.deepEqual((await client.getCollection('with_meta')).config.metadata, { model: 'bge-small', run: 'r1' });
  });

  test('rejects what Qdrant rejects, in Qdrant words', async () => {
    await client.createCollection('strict', { vectors: { size: DIM, distance: 'Cosine' } });

    await rejectsWith(
      () => client.upsert('strict', { wait: true, points: [{ id: 'chunk-1', vector: [1, 0, 0, 0] }] }),
      400,
      'value chunk-1 is not a valid point ID, valid values are either an unsigned integer or a UUID',
    );
    await rejectsWith(
      () => client.upsert('strict', { wait: true, points: [{ id: 1, vector: [1, 0, 0, 0] }, { id: 2, vector: [1, 0, 0] }] }),
      400,
      'Wrong input: Vector dimension error: expected dim: 4, got 3',
    );
    // With wait=false Qdrant has already answered "acknowledged" and drops the bad update silently;
    // the stand-in answers the same and notes the failure in its request log.
    const unwaited = await client.upsert('strict', { wait: false, points: [{ id: 3, vector: [1, 0] }] });
    assert.equal(unwaited.status, 'acknowledged');
    const dropped = (await standin.requestLog()).filter((r) => r.operation === 'upsert_points' && r.status === 200);
    assert.match(dropped.at(-1)?.error ?? '', /update failed.*Vector dimension error: expected dim: 4, got 2/);
    await rejectsWith(
      () => client.query('strict', { query: [1, 0] }),
      400,
      'Vector dimension error: expected dim: 4, got 2',
    );
    await rejectsWith(() => client.getCollection('nope'), 404, "Not found: Collection `nope` doesn't exist!");
    await rejectsWith(() => client.count('nope', {}), 404, "Collection `nope` doesn't exist!");
    await rejectsWith(
      () => client.createCollection('strict', { vectors: { size: DIM, distance: 'Cosine' } }),
      409,
      'Collection `strict` already exists!',
    );
  });

  test('rejects a body that does not match the OpenAPI document', async () => {
    const response = await fetch(`${standin.url}/collections/strict/points/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: [1, 0, 0, 0], filter: { must: [{ key: 'doc', match: { valu: 'x' } }] } }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { status: { error: string }; time: number };
    assert.match(body.status.error, /^Format error in JSON body: does not match the Qdrant 1\.19\.0 OpenAPI schema of `query_points`/);
    assert.match(body.status.error, /at \$\.filter\.must\[0\]\.match/);
    assert.equal(typeof body.time, 'number');

    const tooSmall = await fetch(`${standin.url}/collections/strict/points/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: [1, 0, 0, 0], limit: 0 }),
    });
    assert.equal(tooSmall.status, 422, 'range violations are Qdrant validation errors');

    const log = await standin.requestLog();
    const rejected = log.filter((r) => r.operation === 'query_points' && r.status === 400);
    assert.ok(
      rejected.some((r) => r.problems?.some((p) => p.includes('$.filter.must[0].match'))),
      'the rejection is logged with its reason',
    );
    assert.ok(!log.some((r) => r.status >= 500), `no 5xx (strict response checks): ${JSON.stringify(log.filter((r) => r.status >= 500))}`);
  });

  test('unknown paths are 404 and endpoints outside the 1.19 document are refused', async () => {
    const unknown = await fetch(`${standin.url}/no/such/path`);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { status: { error: string } }).status.error, /not a path in the Qdrant/);
    // /points/search is not in the 1.19 document (use /points/query).
    const search = await fetch(`${standin.url}/collections/strict/points/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vector: [1, 0, 0, 0], limit: 1 }),
    });
    assert.equal(search.status, 405);
  });

  test('answers 501, not a fake success, for valid but unemulated operations', async () => {
    await rejectsWith(() => client.createSnapshot('strict'), 501, 'operation `create_snapshot` is valid Qdrant API but is not emulated');
    await rejectsWith(
      () => client.query('strict', { query: { recommend: { positive: [1] } } }),
      501,
      'Not implemented in qdrant-standin',
    );
  });
});

describe('qdrant stand-in with an api key', () => {
  let standin: QdrantStandin;

  before(async () => {
    standin = await startQdrantStandin({ apiKey: 'sesame' });
  });

  after(async () => {
    await standin?.stop();
  });

  test('requires the api-key header', async () => {
    const anonymous = new QdrantClient({ url: standin.url, checkCompatibility: false });
    await rejectsWith(() => anonymous.getCollections(), 401, 'Must provide an API key or an Authorization bearer token');
    const wrong = new QdrantClient({ url: standin.url, apiKey: 'nope', checkCompatibility: false });
    await rejectsWith(() => wrong.getCollections(), 401, 'Invalid API key or JWT');

    const keyed = new QdrantClient({ url: standin.url, apiKey: 'sesame', checkCompatibility: false });
    assert.deepEqual(await keyed.getCollections(), { collections: [] });
    assert.equal((await fetch(`${standin.url}/healthz`)).status, 200, 'health checks need no key, as in Qdrant');
  });
});
