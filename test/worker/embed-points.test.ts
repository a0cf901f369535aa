// The three paths that embed chunks and write points (the worker's jobs, `reindex` and `eval
// compare SOURCE --queries`) must store the same points for the same chunks: same content-derived
// ids, same payloads, same write versions and the same vector bytes, as embedPoints builds them.
// The compare run chunks a small corpus into its throw-away store; its chunks are then queued for a
// real worker on real Redis, half of the documents in jobs of the data format of the version before
// (collection, spec, chunks: no version, store or run), half in jobs of write version 7, and that
// collection is reindexed with the same model, each point keeping its version.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type { CollectionSpec } from '../../src/contracts/collection-spec.ts';
import { compareOnCorpus } from '../../src/core/retrieval-compare.ts';
import { reindexCollection } from '../../src/core/run-reindex.ts';
import { openSource } from '../../src/producer/sources/open-source.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import type { EmbedJobData } from '../../src/queue/embed-job.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { StoredPoint, VectorStore } from '../../src/store/vector-store.ts';
import { versionOf } from '../../src/store/write-version.ts';
import { createEmbedWorker } from '../../src/worker/embed-worker.ts';
import { embedPoints } from '../../src/worker/embed-points.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';

const iso = isolatedEnv('embed-points');
after(() => iso.cleanup());

/** The collection compare names its only variant (mean pooling, fp32, no prompts). */
const COLLECTION = 'mean-fp32-plain';
const TOPICS = ['Volcanoes erupt molten rock from deep chambers.', 'Bakers knead bread dough until it is smooth.', 'Comets orbit the sun on long ellipses.'];

/** Twelve documents, several of them longer than one 32-token chunk, with metadata of each kind. */
function writeCorpus(path: string): void {
  const lines = Array.from({ length: 12 }, (_, i) => {
    const text = Array.from({ length: 1 + (i % 4) }, (_, j) => `${TOPICS[(i + j) % TOPICS.length]} Note ${i}.${j}.`).join(' ');
    return JSON.stringify({ id: `d${i}`, text, topic: TOPICS[i % TOPICS.length].split(' ')[0], year: 2020 + i, tags: [`t${i % 3}`] });
  });
  writeFileSync(path, lines.join('\n') + '\n');
}

async function pointsOf(store: VectorStore, collection: string): Promise<StoredPoint[]> {
  const points: StoredPoint[] = [];
  for await (const point of store.points(collection)) points.push(point);
  return points.sort((a, b) => a.id.localeCompare(b.id));
}

/** What a point is, byte for byte: id, payload, write version, vector bytes. */
function pointKey(point: StoredPoint): string {
  return JSON.stringify([point.id, point.chunk, versionOf(point), Buffer.from(point.vector.buffer, point.vector.byteOffset, point.vector.byteLength).toString('base64')]);
}

function assertSamePoints(actual: StoredPoint[], expected: StoredPoint[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: point count`);
  for (let i = 0; i < expected.length; i++) assert.equal(pointKey(actual[i]), pointKey(expected[i]), `${what}: point ${expected[i].id} (${expected[i].chunk.documentId}#${expected[i].chunk.chunkIndex})`);
}

test('worker, reindex and eval compare store the same points for the same chunks, as embedPoints builds them', { timeout: 300_000 }, async (t) => {
  const embedder = await testEmbedder();
  const corpus = join(iso.dir, 'notes.jsonl');
  writeCorpus(corpus);
  const scratchDir = join(iso.dir, 'compare');
  mkdirSync(scratchDir);
  const source = await openSource(corpus, { textFields: ['text'], idField: 'id', metadataFields: ['topic', 'year', 'tags'] });
  const compared = await compareOnCorpus(
    { source, queries: [{ query: 'volcano', expected: ['d0'] }], variants: [{ pooling: 'mean', quantized: false, prompts: false }], settings: { chunkTokens: 32, overlap: 8 }, scratchDir, modelDir: MODEL_DIR },
    async () => embedder,
  );
  assert.ok(compared.chunks > compared.documents, `some documents have several chunks (${compared.chunks} chunks in ${compared.documents} documents)`);

  // eval compare's points, in its throw-away store (left for the caller to remove).
  const scratch = openStore({ dataDir: scratchDir });
  let spec: CollectionSpec;
  let fromCompare: StoredPoint[];
  try {
    spec = (await scratch.describe(COLLECTION))!.spec;
    fromCompare = await pointsOf(scratch, COLLECTION);
  } finally {
    await scratch.close();
  }
  assert.equal(fromCompare.length, compared.chunks);
  const chunks = fromCompare.map((p) => p.chunk);

  // The same chunks through embedPoints directly (one call, no version: 0).
  const byId = (points: StoredPoint[]) => points.sort((a, b) => a.id.localeCompare(b.id));
  assertSamePoints(fromCompare, byId(await embedPoints(embedder, spec, COLLECTION, chunks)), 'eval compare vs embedPoints');
  // What the worker and reindex must store: the documents of the second half at version 7.
  const versioned = (documentId: string) => Number(documentId.slice(1)) >= 6;
  const versions = chunks.map((c) => (versioned(c.documentId) ? 7 : 0));
  const direct = byId(await embedPoints(embedder, spec, COLLECTION, chunks, versions));

  // The worker: jobs as the previous version queued them (no version, store or run), and versioned ones.
  const connection = redisOptionsFromUrl(iso.env.REDIS_URL!);
  const store = openStore({ dataDir: iso.dataDir });
  const queue = new EmbedQueue(connection, iso.prefix);
  const worker = createEmbedWorker({ connection, prefix: iso.prefix, embedder, store, concurrency: 2 });
  try {
    await store.ensureCollection(COLLECTION, spec);
    const ids = new Set<string>();
    const chunksPerJob = new Map<string, number>();
    const jobs: EmbedJobData[] = [
      JSON.parse(JSON.stringify({ collection: COLLECTION, spec, chunks: chunks.filter((c) => !versioned(c.documentId)) })),
      { collection: COLLECTION, spec, chunks: chunks.filter((c) => versioned(c.documentId)), version: 7 },
    ];
    for (const job of jobs) {
      const id = await queue.add(job);
      ids.add(id);
      chunksPerJob.set(id, job.chunks.length);
    }
    const outcome = await queue.waitForJobs(ids, chunksPerJob);
    assert.equal(outcome.completed, ids.size, 'both jobs completed, the one of the older format too');
    const fromWorker = await pointsOf(store, COLLECTION);
    assertSamePoints(fromWorker, direct, 'worker vs embedPoints');

    // reindex with the same model and pooling: a new version with the same points.
    const result = await reindexCollection(
      { collection: COLLECTION, model: { name: MODEL_DIR, hub: loadConfig().hub }, pooling: 'mean', graceMs: 0 },
      { store, lease: { connection, prefix: iso.prefix, storeId: 'default' }, loadEmbedder: async () => embedder },
    );
    assert.equal(result.chunks, chunks.length);
    assert.deepEqual(result.spec, spec, 'the same spec, so the same vectors');
    const fromReindex = await pointsOf(store, COLLECTION);
    assertSamePoints(fromReindex, direct, 'reindex vs embedPoints');
    const digest = createHash('sha256').update(direct.map(pointKey).join('\n')).digest('hex');
    t.diagnostic(`${direct.length} points, sha256 ${digest}`);
  } finally {
    await worker.close();
    await queue.close();
    await store.close();
  }
});
