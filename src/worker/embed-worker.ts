// The embedding worker: takes jobs from the queue, embeds the chunks of several concurrent jobs
// together, writes the points, and completes each job only after the store confirmed its write.
// Points carry the job's write version; chunks of documents the store already holds at a newer
// version are neither embedded nor written, and the job completes as superseded (store/write-version.ts;
// the store itself refuses them too, as this look-up and the write are two steps).
import { MetricsTime, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { Embedder } from '../embed/embedder.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { CollectionLeases } from '../queue/collection-lease.ts';
import { EMBED_QUEUE, MAX_STALLED_COUNT, type EmbedJobData, type EmbedJobResult } from '../queue/embed-job.ts';
import { failureReason } from '../queue/job-failure.ts';
import { bullmqConnection, queueKeyPrefix } from '../queue/redis-client.ts';
import type { RedisConnectionOptions } from '../queue/redis-connection.ts';
import { RunCounters } from '../queue/run-counters.ts';
import type { StoredPoint, VectorStore } from '../store/vector-store.ts';
import { UNVERSIONED } from '../store/write-version.ts';
import { CoalescedEmbedder } from '../batching/coalesced-embedder.ts';
import { Coalescer } from '../batching/coalescer.ts';
import { embedPoints } from './embed-points.ts';
import { ProcessorActivity } from './processor-activity.ts';
import { assertCollectionTakes, assertWorkerCanEmbed } from './spec-check.ts';
import { closeWorker, type WorkerClose } from './worker-close.ts';
import { ForeignJobs } from './foreign-jobs.ts';
import { WriteGate } from './write-gate.ts';

export interface EmbedWorkerOptions {
  connection: RedisConnectionOptions;
  prefix: string;
  embedder: Embedder;
  /**
   * The model of a collection built with another model than `embedder`: its recorded Hub id at its
   * commit (src/hub, fetched if need be). Unset, or no model from it: such jobs are refused.
   */
  recordedModel?: (spec: CollectionSpec) => Promise<Embedder | undefined>;
  store: VectorStore;
  /** This worker's store as jobs name it (EMBEDLINE_STORE_ID): jobs for another store are refused. */
  storeId?: string;
  /** An ingest's own worker: serves only jobs of this run; others are put back (worker/foreign-jobs.ts). */
  onlyRun?: string;
  /** Jobs held at once; their chunks are embedded together. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a killed worker's jobs return after this. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** `superseded`: chunks not written because their document had moved on (EmbedJobResult). */
  onJobDone?: (job: Job<EmbedJobData>, chunks: number, superseded: number) => void;
  onJobFailed?: (job: Job<EmbedJobData> | undefined, err: Error) => void;
  /** How long close() waits for BullMQ once no job runs any more (worker-close.ts; default 10 s). */
  closeGraceMs?: number;
}

/** What callers do with a worker: wait until it takes jobs, check it, stop it. */
export interface EmbedWorker {
  waitUntilReady(): Promise<unknown>;
  isRunning(): boolean;
  /** Stops taking jobs, lets the held ones finish and be acknowledged, closes the connections. */
  close(): Promise<WorkerClose>;
}

/**
 * Store writes of jobs that finish embedding close together share one write: a store commit has a
 * fixed cost (bench/ingest/job-cost.ts, loaded machine: one LanceDB upsert per job cost 1.2 to 2.6
 * times as much per chunk as one per 4 jobs, in two runs; the write is the costliest stage of a job
 * outside the ONNX run, 4-5 % of its time). Jobs finish embedding one by one
 * (coalesced-embedder.ts), about one job's embedding time apart, so a write waits up to 500 ms for
 * the next job's points (two full jobs per write). A worker's first write, and a write no other held
 * job could join, go at once: the first job of a run and the last are not held back.
 */
export const STORE_WRITE_BATCHING = { windowMs: 500, maxItems: 128 };

export function createEmbedWorker(options: EmbedWorkerOptions): EmbedWorker {
  const { embedder, store } = options;
  const concurrency = options.concurrency ?? 4;
  /** Collections checked once per worker, by name and spec (a failed check is tried again). */
  const checked = new Map<string, Promise<void>>();
  // Who works on which collection (runs, writes, reindex/migrate): see queue/collection-lease.ts.
  const leases = new CollectionLeases(options.connection, options.prefix);
  const foreignJobs = new ForeignJobs(leases, options.storeId);
  const writeGate = new WriteGate(leases, options.storeId);
  const counters = new RunCounters(options.connection, options.prefix);

  // Chunks of the jobs held at once share ONNX batches and store writes (batching/).
  const embedCalls = new CoalescedEmbedder(embedder);
  /** Collections' recorded models other than `embedder`, by checksum, each loaded once (a failed load is tried again). */
  const recordedCalls = new Map<string, Promise<CoalescedEmbedder>>();
  const embedCallsFor = (spec: CollectionSpec, collection: string): Promise<CoalescedEmbedder> | CoalescedEmbedder => {
    if (embedder.info.checksum === spec.modelChecksum || !options.recordedModel || !spec.modelSource) {
      assertWorkerCanEmbed(embedder.info, spec, collection);
      return embedCalls;
    }
    let calls = recordedCalls.get(spec.modelChecksum);
    if (!calls) {
      calls = options.recordedModel(spec).then((recorded) => {
        const model = recorded ?? embedder;
        assertWorkerCanEmbed(model.info, spec, collection);
        return new CoalescedEmbedder(model);
      });
      recordedCalls.set(spec.modelChecksum, calls);
      calls.catch(() => recordedCalls.delete(spec.modelChecksum));
    }
    return calls;
  };
  const writes = new Coalescer<StoredPoint, boolean>(async (collection, points) => (await store.upsert(collection, points)).stored, STORE_WRITE_BATCHING);

  let wroteOnce = false;
  const checkCollection = (job: EmbedJobData): Promise<void> => {
    const key = JSON.stringify([job.collection, job.spec]);
    let done = checked.get(key);
    if (!done) {
      done = assertCollectionTakes(store, job.collection, job.spec);
      checked.set(key, done);
      done.catch(() => checked.delete(key));
    }
    return done;
  };

  const processJob = async (job: Job<EmbedJobData>, token?: string): Promise<EmbedJobResult> => {
    if (options.onlyRun !== undefined) {
      if (job.data.run !== options.onlyRun) return foreignJobs.setAside(job, token);
      foreignJobs.tookOwnJob();
    }
    const { collection, spec, chunks } = job.data;
    try {
      assertSameStore(job.data.store, options.storeId);
      const calls = await embedCallsFor(spec, collection);
      await checkCollection(job.data);
      const version = job.data.version ?? UNVERSIONED;
      const newer = await store.newerDocuments(collection, [...new Set(chunks.map((c) => c.documentId))], version);
      // A superseded job may be one whose first worker was killed after writing and before its
      // clean-up: the older version's chunks it inserted are dropped here instead of staying.
      if (newer.size > 0) await store.dropOlderVersions(collection, [...newer]);
      const current = chunks.filter((c) => !newer.has(c.documentId));
      let written = 0;
      if (current.length > 0) {
        const points = await embedPoints(calls, spec, collection, current, version);
        // Not while a reindex or migrate copies the collection (worker/write-gate.ts).
        // The first write, and one no other held job can join, go at once (see STORE_WRITE_BATCHING).
        const immediate = !wroteOnce || activity.count <= 1;
        wroteOnce = true;
        const stored = await writeGate.run(job, token, () => writes.submit(collection, points, { immediate }));
        written = stored.filter(Boolean).length;
      }
      const superseded = chunks.length - written;
      if (superseded > 0) await counters.countSupersededJob();
      return { chunks: written, superseded };
    } catch (err) {
      // Errors that cannot heal by waiting (wrong model, over-long text) skip the retries and go
      // straight to the failed set, where `embedline jobs failed` shows them. Every embedline error
      // leaves its code in the reason, so the ingest that waits for the job fails with that code.
      if (!isEmbedlineError(err)) throw err;
      if (!err.retryable) throw new UnrecoverableError(failureReason(err));
      throw new Error(failureReason(err), { cause: err });
    }
  };

  const activity = new ProcessorActivity();
  const workerConnection = bullmqConnection(options.connection);
  const worker = new Worker<EmbedJobData, EmbedJobResult>(EMBED_QUEUE, activity.track(processJob), {
    connection: workerConnection.connection,
    prefix: queueKeyPrefix(options.connection, options.prefix),
    concurrency,
    lockDuration: options.lockDurationMs ?? 60_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: MAX_STALLED_COUNT,
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('completed', (job, result) => options.onJobDone?.(job, result.chunks, result.superseded));
  worker.on('failed', (job, err) => options.onJobFailed?.(job, err));
  // Without a listener, an 'error' event (Redis hiccup) would crash the process.
  worker.on('error', (err) => options.onJobFailed?.(undefined, err));
  return {
    waitUntilReady: () => worker.waitUntilReady(),
    isRunning: () => worker.isRunning(),
    close: async () => {
      const closed = await closeWorker(worker, activity, options.closeGraceMs);
      workerConnection.release();
      await leases.close();
      await counters.close();
      return closed;
    },
  };
}

/**
 * A worker attached to another store (another EMBEDLINE_DATA or QDRANT_URL) on the same Redis and
 * prefix must not write the job where the producer will never look. The refusal is
 * retryable: BullMQ's backoff hands the job to a worker of the right store if there is one, and the
 * failed set shows this reason if there is none.
 */
function assertSameStore(jobStore: string | undefined, workerStore: string | undefined): void {
  if (jobStore === undefined || workerStore === undefined || jobStore === workerStore) return;
  throw new EmbedlineError(
    'CONFIG_INVALID',
    `job is for store ${jobStore} but this worker writes to ${workerStore}: give workers the producer's EMBEDLINE_DATA/QDRANT_URL (or the same EMBEDLINE_STORE_ID)`,
    { retryable: true },
  );
}
