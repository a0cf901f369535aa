// The Qdrant stand-in's sparse vectors, prefetch and fusion, driven over plain HTTP: what Qdrant's
// engine computes (idf over the collection, rrf with k) comes back in Qdrant's response shapes, and
// the requests Qdrant refuses are refused (a sparse name the collection lacks, repeated indices,
// indices and values of different lengths, fusion without prefetches).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApiProblems, startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';

let standin: QdrantStandin;
const C = 'sparse-c';

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: { result?: unknown; status?: { error?: string } } }> {
  const response = await fetch(`${standin.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { result?: unknown; status?: { error?: string } } };
}

interface Scored {
  id: number;
  score: number;
  vector?: unknown;
}

before(async () => {
  standin = await startQdrantStandin({ strict: true });
  const created = await call('PUT', `/collections/${C}`, { vectors: { size: 2, distance: 'Cosine' }, sparse_vectors: { kw: { modifier: 'idf' } } });
  assert.equal(created.status, 200, JSON.stringify(created.json));
  const points = [
    { id: 1, vector: { '': [1, 0], kw: { indices: [10, 20], values: [1, 2] } } },
    { id: 2, vector: { '': [0, 1], kw: { indices: [10], values: [1] } } },
    { id: 3, vector: [0.7, 0.7] },
  ];
  const upserted = await call('PUT', `/collections/${C}/points?wait=true`, { points });
  assert.equal(upserted.status, 200, JSON.stringify(upserted.json));
});
after(async () => {
  const problems = await openApiProblems(standin, { answered: true });
  await standin.stop();
  assert.deepEqual(problems, []);
});

test('the collection reports its sparse vector; a point reads back with its sparse vector as {indices, values}', async () => {
  const info = await call('GET', `/collections/${C}`);
  assert.deepEqual((info.json.result as { config: { params: { sparse_vectors: unknown } } }).config.params.sparse_vectors, { kw: { modifier: 'idf' } });
  const got = await call('POST', `/collections/${C}/points`, { ids: [1], with_vector: true });
  assert.deepEqual((got.json.result as Array<{ vector: unknown }>)[0].vector, { '': [1, 0], kw: { indices: [10, 20], values: [1, 2] } });
});

test("a sparse query scores by Qdrant's idf: ln((N − n + 0.5)/(n + 0.5) + 1) × value, N the points with the vector", async () => {
  const r = await call('POST', `/collections/${C}/points/query`, { query: { indices: [20], values: [1] }, using: 'kw' });
  const points = (r.json.result as { points: Scored[] }).points;
  assert.deepEqual(points.map((p) => p.id), [1]);
  assert.ok(Math.abs(points[0].score - 2 * Math.log((2 - 1 + 0.5) / (1 + 0.5) + 1)) < 1e-5, String(points[0].score));
});

test('rrf fusion of a dense and a sparse prefetch: Σ 1/(k + position)', async () => {
  const r = await call('POST', `/collections/${C}/points/query`, {
    prefetch: [{ query: [1, 0.1], limit: 5 }, { query: { indices: [20], values: [1] }, using: 'kw', limit: 5 }],
    query: { rrf: { k: 60 } },
    limit: 3,
  });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const points = (r.json.result as { points: Scored[] }).points;
  // Dense order 1, 3, 2; sparse: 1 only.
  assert.deepEqual(points.map((p) => p.id), [1, 3, 2]);
  const expected = [1 / 60 + 1 / 60, 1 / 61, 1 / 62];
  points.forEach((p, i) => assert.ok(Math.abs(p.score - expected[i]) < 1e-6, `${p.id}: ${p.score}`));
});

test("what Qdrant refuses is refused: an unknown sparse name, repeated indices, lengths that differ, fusion without prefetches", async () => {
  const unknown = await call('PUT', `/collections/${C}/points?wait=true`, { points: [{ id: 9, vector: { '': [1, 1], other: { indices: [1], values: [1] } } }] });
  assert.equal(unknown.status, 400);
  assert.match(unknown.json.status?.error ?? '', /Not existing vector name error: other/);
  const repeated = await call('PUT', `/collections/${C}/points?wait=true`, { points: [{ id: 9, vector: { '': [1, 1], kw: { indices: [1, 1], values: [1, 2] } } }] });
  assert.equal(repeated.status, 422);
  assert.match(repeated.json.status?.error ?? '', /must be unique/);
  const lengths = await call('POST', `/collections/${C}/points/query`, { query: { indices: [1, 2], values: [1] }, using: 'kw' });
  assert.equal(lengths.status, 422);
  const lonely = await call('POST', `/collections/${C}/points/query`, { query: { fusion: 'rrf' } });
  assert.equal(lonely.status, 400);
  assert.match(lonely.json.status?.error ?? '', /fusion/);
  const noSparse = await call('POST', `/collections/${C}/points/query`, { query: { indices: [1], values: [1] }, using: 'nope' });
  assert.equal(noSparse.status, 400);
});
