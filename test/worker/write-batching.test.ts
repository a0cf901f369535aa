// A worker's store writes (src/worker/embed-worker.ts, STORE_WRITE_BATCHING): jobs that finish
// embedding close together share one write, yet the worker's first write goes at once (the first
// job of a run is not held back by the window) and every point ends up stored exactly once.
// The first write is held until every job has been embedded, so the later jobs' writes queue behind it
// whatever the machine's load (on a busy host the jobs' runs could otherwise end further apart than the
// write window, and each job would write alone).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { collectionSpecFor } from '../../src/producer/ingest.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { StoredPoint, VectorStore } from '../../src/store/vector-store.ts';
import { createEmbedWorker } from '../../src/worker/embed-worker.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';

const iso = isolatedEnv('write-batching');
after(() => iso.cleanup());

const JOBS = 4;
const CHUNKS_PER_JOB = 64;

function chunksOfJob(job: number): Chunk[] {
  // Short texts: a job embeds in milliseconds, so the jobs finish well within the write window.
  return Array.from({ length: CHUNKS_PER_JOB }, (_, i) => {
    const text = `note ${job} ${i}`;
    return { documentId: `doc-${job}-${i}`, chunkIndex: 0, text, start: 0, end: text.length, tokens: 6, contentHash: `h${job}-${i}.1`, metadata: {} };
  });
}

test('jobs finishing together share store writes; the first write is one job alone; every point is stored', { timeout: 120_000 }, async () => {
  const embedder = await testEmbedder();
  const connection = redisOptionsFromUrl(iso.env.REDIS_URL!);
  const inner = openStore({ dataDir: iso.dataDir });
  const writes: number[] = [];
  // The real embedder, with the rows of its model runs counted: `allEmbedded` settles once every
  // job's rows went through a run.
  let rowsEmbedded = 0;
  let everyRowEmbedded!: () => void;
  const allEmbedded = new Promise<void>((resolve) => (everyRowEmbedded = resolve));
  const countingEmbedder = new Proxy(embedder, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'embedTokenIds') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: Parameters<typeof embedder.embedTokenIds>) => {
        const result = await target.embedTokenIds(...args);
        rowsEmbedded += args[0].length;
        if (rowsEmbedded >= JOBS * CHUNKS_PER_JOB) everyRowEmbedded();
        return result;
      };
    },
  });
  // The real store, with every upsert's size recorded; the first upsert waits until every job is
  // embedded and their writes had time to reach the worker's write queue (a Redis lease check each).
  const store = new Proxy(inner, {
    get(target, name, receiver) {
      if (name === 'upsert') {
        return async (collection: string, points: StoredPoint[]) => {
          writes.push(points.length);
          if (writes.length === 1) {
            await allEmbedded;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
          return target.upsert(collection, points);
        };
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as VectorStore;
  const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
  const spec = collectionSpecFor(embedder, { settings });
  await inner.ensureCollection('batched', spec);
  const queue = new EmbedQueue(connection, iso.prefix);
  const ids = new Set<string>();
  const chunksPerJob = new Map<string, number>();
  for (let job = 0; job < JOBS; job++) {
    const id = await queue.add({ collection: 'batched', spec, chunks: chunksOfJob(job), version: 1 });
    ids.add(id);
    chunksPerJob.set(id, CHUNKS_PER_JOB);
  }
  const worker = createEmbedWorker({ connection, prefix: iso.prefix, embedder: countingEmbedder, store, concurrency: JOBS });
  try {
    const outcome = await queue.waitForJobs(ids, chunksPerJob);
    assert.equal(outcome.completed, JOBS);
    assert.equal(await inner.count('batched'), JOBS * CHUNKS_PER_JOB, 'every point stored once');
    assert.equal(writes.reduce((a, b) => a + b, 0), JOBS * CHUNKS_PER_JOB);
    assert.equal(writes[0], CHUNKS_PER_JOB, `the first write is the first job alone (writes: ${writes.join(', ')})`);
    assert.ok(writes.length < JOBS, `later jobs share writes: ${writes.length} writes for ${JOBS} jobs (${writes.join(', ')})`);
  } finally {
    await worker.close();
    await queue.close();
    await inner.close();
  }
});
