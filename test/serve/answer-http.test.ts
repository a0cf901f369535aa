// The HTTP search answer's grouping, floor and richer filters over the real sample collection (the
// real model, LanceDB): groupBy "document" returns each document once with `matches`;
// `noCloseMatch` comes from the floor `embedline calibrate` records (MiniLM on STS-b dev):
// "zzzqqq" falls below it and every sample query is above it; a range, `not` and list-contains
// filter answer as asked; and a bad filter part is named in the 400.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { calibrateScoreFloor, readUnrelatedPairs } from '../../src/search/score-floor.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { buildSampleCollection, sampleQueries, upsertArticles, type Article } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const COLLECTION = 'articles';
const SEARCH_URL = `/v1/collections/${COLLECTION}/search`;
const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';
const EXTRA: Article[] = [
  { id: 'x-1', title: 'Star charts for sailors', body: 'Sailors found their way by the stars.', category: 'history', year: '2001', author: 'A' },
  { id: 'x-2', title: 'Star charts for pilots', body: 'Pilots learned the stars for night flights.', category: 'history', year: '2002', author: 'B' },
];
const MORE = { 'x-1': { rank: 1, tags: ['navigation', 'sea'] }, 'x-2': { rank: 5, tags: ['navigation', 'air'] } } as Record<string, { rank: number; tags: string[] }>;

const iso = isolatedEnv('answer-http');
let servers: TestSearchServers;
let app: FastifyInstance;
let floor: number;

before(async () => {
  await buildSampleCollection(iso, COLLECTION);
  servers = testSearchServers(iso);
  await upsertArticles(servers.store, COLLECTION, EXTRA, (a) => MORE[a.id]);
  const embedder = await testEmbedder();
  const embed = async (texts: string[]) => (await embedder.embed(texts, { pooling: 'mean', normalize: true, truncate: true })).vectors;
  const recorded = await calibrateScoreFloor(readUnrelatedPairs(STS_DEV), embed, 'cosine', 'sts-dev.csv');
  floor = recorded.value;
  await servers.store.recordScoreFloor(COLLECTION, recorded);
  app = await servers.server();
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

async function post(body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: SEARCH_URL, payload: body });
}

async function answer(body: Record<string, unknown>) {
  const res = await post(body);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { hits: Array<{ documentId: string; score: number; matches?: number; metadata: Record<string, unknown> }>; noCloseMatch: boolean; scoreFloor?: number };
}

test('"zzzqqq" has no close match under the MiniLM floor; every sample query has one', async () => {
  assert.ok(floor > 0.2 && floor < 0.5, `floor ${floor}`);
  const nonsense = await answer({ query: 'zzzqqq' });
  assert.equal(nonsense.noCloseMatch, true);
  assert.equal(nonsense.scoreFloor, floor);
  assert.ok(nonsense.hits[0].score < floor);
  for (const { query } of sampleQueries()) {
    const real = await answer({ query, k: 1 });
    assert.equal(real.noCloseMatch, false, `${query}: best ${real.hits[0].score} vs floor ${floor}`);
  }
});

test('groupBy document: each document once, best chunk first, with matches', async () => {
  const { hits } = await answer({ query: 'how do stars produce energy', k: 8, groupBy: 'document' });
  const ids = hits.map((h) => h.documentId);
  assert.equal(hits.length, 8);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(hits.every((h) => Number.isInteger(h.matches) && h.matches! >= 1));
  assert.deepEqual([...hits].sort((a, b) => b.score - a.score), hits);
});

test('range, not and list-contains filters answer as asked', async () => {
  const ranged = await answer({ query: 'star charts', filter: { rank: { gte: 2 } } });
  assert.deepEqual(ranged.hits.map((h) => h.documentId), ['x-2']);
  const contains = await answer({ query: 'star charts', filter: { tags: 'sea' } });
  assert.deepEqual(contains.hits.map((h) => h.documentId), ['x-1']);
  const negated = await answer({ query: 'star charts', k: 50, filter: { tags: 'navigation', not: { tags: 'air' } } });
  assert.deepEqual(negated.hits.map((h) => h.documentId), ['x-1']);
  assert.deepEqual(contains.hits[0].metadata.tags, ['navigation', 'sea']);
});

test('a bad filter part is named in the 400', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ rank: { from: 2 } }, /body\.filter\.rank has unknown operator "from"/],
    [{ rank: { gte: 'soon' } }, /body\.filter\.rank\.gte must be a number or an ISO 8601 date/],
    [{ not: { tags: { a: 1 } } }, /body\.filter\.not\.tags has unknown operator "a"/],
    [{ not: [] }, /body\.filter\.not must be a non-empty filter object/],
    [{ category: { gte: 3 } }, /filter\.category: .* can never match: "category" is recorded as keyword/],
  ];
  for (const [filter, message] of cases) {
    const res = await post({ query: 'stars', filter });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, message);
  }
  const group = await post({ query: 'stars', groupBy: 'chunk' });
  assert.equal(group.statusCode, 400);
  assert.match(group.json().error.message, /groupBy/);
});
