// `embedline migrate`: the sample collection (ingested by the real CLI into the embedded store)
// moved to Qdrant (the stand-in, in strict mode as Qdrant Cloud runs) and back into a fresh local
// folder, without re-embedding: same point count, same top-10 for 20 queries embedded by the real
// model, filters still working, and a second run rewriting rather than duplicating.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { MigrationResult } from '../../src/store/migrate-collection.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { runCli } from '../support/run-cli.ts';
import { buildSampleCollection, sampleArticles, sampleQueries, specFor } from '../support/sample-collection.ts';

const COLLECTION = 'articles';
const iso = isolatedEnv('migrate');
const roundTripDir = join(iso.dir, 'round-trip');
let standin: QdrantStandin;
let sample: { points: number; documents: number };
let queries: Float32Array[];
const stores: VectorStore[] = [];

type MigrateJson = MigrationResult & { from: string; to: string };

async function migrate(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MigrateJson> {
  const run = await runCli(['migrate', '--collection', COLLECTION, '--json', ...args], { env: { ...iso.env, QDRANT_URL: standin.url, ...env } });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as MigrateJson;
}

function open<T extends VectorStore>(store: T): T {
  stores.push(store);
  return store;
}

/** Ids of the top 10 for each query, in order. */
async function top10(store: VectorStore): Promise<string[][]> {
  return (await store.searchBatch(COLLECTION, queries, 10)).map((hits) => hits.map((h) => h.id));
}

before(async () => {
  sample = await buildSampleCollection(iso, COLLECTION);
  standin = await startQdrantStandin({ strictMode: true });
  // 20 queries: the sample queries, then article titles, embedded as a search would embed them.
  const embedder = await testEmbedder();
  const spec = specFor(embedder);
  const texts = [...sampleQueries().map((q) => q.query), ...sampleArticles().map((a) => a.title)].slice(0, 20);
  queries = (await embedder.embed(texts, { pooling: spec.pooling, normalize: spec.normalize, truncate: true })).vectors;
});
after(async () => {
  for (const store of stores) await store.close();
  await standin?.stop();
  await iso.cleanup();
});

describe('embedline migrate', () => {
  test('local → qdrant: every point copied, counts and top-10 for 20 queries identical, filters work under strict mode', async () => {
    const result = await migrate(['--to', 'qdrant', '--batch', '100']);

    assert.deepEqual(
      { from: result.from, to: result.to, copied: result.copied, sourcePoints: result.sourcePoints, targetPoints: result.targetPoints, differences: result.differences },
      { from: 'local', to: 'qdrant', copied: sample.points, sourcePoints: sample.points, targetPoints: sample.points, differences: [] },
    );
    assert.equal(result.identicalSearches, 20);
    const local = open(openLocalStore(iso.dataDir));
    const qdrant = open(openQdrantStore({ url: standin.url }));
    assert.deepEqual(await top10(qdrant), await top10(local));
    const [localInfo, qdrantInfo] = [await local.describe(COLLECTION), await qdrant.describe(COLLECTION)];
    assert.deepEqual(qdrantInfo?.spec, localInfo?.spec, 'the recorded spec travelled');
    assert.deepEqual(qdrantInfo?.fields, { category: 'keyword', year: 'keyword', author: 'keyword' });
    assert.equal(qdrantInfo?.documents, sample.documents);
    assert.equal(await qdrant.count(COLLECTION, { year: 2019 }), await local.count(COLLECTION, { year: '2019' }));
  });

  test('running it again (as after an interruption) rewrites the same ids: no duplicates', async () => {
    const again = await migrate(['--to', 'qdrant']);
    assert.equal(again.copied, sample.points);
    assert.equal(again.targetPoints, sample.points);
    assert.deepEqual(again.differences, []);
  });

  test('qdrant → local into a fresh folder: the same points and the same top-10', async () => {
    const result = await migrate(['--from', 'qdrant', '--to', 'local'], { EMBEDLINE_DATA: roundTripDir });

    assert.equal(result.targetPoints, sample.points);
    assert.equal(result.identicalSearches, 20);
    const original = open(openLocalStore(iso.dataDir));
    const roundTrip = open(openLocalStore(roundTripDir));
    assert.deepEqual(await top10(roundTrip), await top10(original));
    assert.deepEqual((await roundTrip.describe(COLLECTION))?.fields, { category: 'keyword', year: 'keyword', author: 'keyword' });
  });

  test('bad flags and a missing collection end in one line', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--to', 'mongo'], /--to must be qdrant or local, got "mongo"/],
      [['--to', 'local', '--from', 'local'], /nothing to move/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['migrate', '--collection', COLLECTION, ...args], { env: { ...iso.env, QDRANT_URL: standin.url } });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr.trim(), message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
    const missing = await runCli(['migrate', '--collection', 'nope', '--to', 'qdrant'], { env: { ...iso.env, QDRANT_URL: standin.url } });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr.trim(), /^error: collection "nope" does not exist in the local store$/);
    const noUrl = await runCli(['migrate', '--collection', COLLECTION, '--to', 'qdrant'], { env: iso.env });
    assert.notEqual(noUrl.code, 0);
    assert.match(noUrl.stderr.trim(), /QDRANT_URL is not set/);
  });
});
