// The ingest run, shared by `embedline ingest` and the library's ingest(): open the source, load the
// model, create or check the collection, start the run's own workers, queue the source, wait until
// the store holds it (or return once it is queued), and say what happened. Callers map their flags or
// options to a plan and print or return the summary: nothing here writes to stdout.
//
// This is the one owner of ensureCollection on the ingest path: the producer awaits the run's
// collectionReady() before its first store look-up, and workers only check the collection a job names
// (worker/spec-check.ts), never create it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Pooling } from '../embed/pooling.ts';
import type { PromptPair } from '../embed/prompts.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { chunkSettingsForModel } from '../producer/chunking/chunk-settings.ts';
import { collectionSpecFor, queueIngest, type IngestDeps, type IngestPlan, type ProducerProgress, type QueuedIngest } from '../producer/ingest.ts';
import { openSource, type SourceOptions } from '../producer/sources/open-source.ts';
import { REASONS_SHOWN, RejectsFile, type ReasonCount } from '../producer/rejects-file.ts';
import { ingestVerified, MAX_HEAL_PASSES, type VerifiedIngest } from '../producer/verified-ingest.ts';
import { takeWriteVersion } from '../producer/run-version.ts';
import { claimCollection } from '../queue/collection-lease.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import { failureCode } from '../queue/job-failure.ts';
import { evictionPolicyWarning, whileRedisAnswers, type RedisConnectionOptions } from '../queue/redis-connection.ts';
import type { CollectionInfo, IndexingState, VectorStore } from '../store/vector-store.ts';
import { createEmbedWorker, type EmbedWorkerOptions } from '../worker/embed-worker.ts';
import { loadChosenModel, type EmbedderFactory, type ModelChoice } from './model-choice.ts';

/** What to ingest and how: built from the command's flags or the library's options. */
export interface IngestRunPlan {
  /** A CSV/TSV file, a JSONL file or a folder of .txt/.md files. */
  source: string;
  sourceOptions: SourceOptions;
  collection: string;
  model: ModelChoice;
  /** undefined: the model's own. */
  pooling?: Pooling;
  normalize: boolean;
  /** Overrides of the model's query and document prompts ("" for none); undefined: the model's own. */
  prompts?: Partial<PromptPair>;
  /** undefined: the model's limit minus its special tokens (and its document prompt's tokens). */
  chunkTokens?: number;
  /** undefined: DEFAULT_OVERLAP_TOKENS. */
  overlap?: number;
  /** In-process workers serving this run only; 0 only queues, for external `embedline worker`s. */
  workers: number;
  /** Jobs each in-process worker holds at once. */
  concurrency: number;
  /** Wait until the store holds every document (false: return once queued; needs workers = 0). */
  wait: boolean;
  /** Delete documents the collection holds but the source no longer has. */
  prune: boolean;
  /** Qdrant: defer HNSW index building until the load has finished. */
  bulkLoad: boolean;
  /** Where bad rows go, appended to; undefined: a file of this run's own, <dataDir>/rejects/<collection>-<UTC time>.jsonl. */
  rejectsPath?: string;
}

/** What the run works with, opened by the caller (which also closes them). */
export interface IngestRunDeps {
  store: VectorStore;
  /** Called once Redis has answered: a BullMQ queue on an unreachable Redis reports every reconnect. */
  queue: () => EmbedQueue;
  connection: RedisConnectionOptions;
  /** storeId: the id of the store in force (core/runtime.ts's config carries it). */
  config: Pick<Config, 'dataDir' | 'queuePrefix' | 'redisOutageMs'> & { storeId: string };
  /** Default: load the plan's model folder (the library may hand over an embedder it loaded). */
  loadEmbedder?: EmbedderFactory;
  /** Also told of every job the in-process workers finish or fail (metrics, traces). */
  workerEvents?: Pick<EmbedWorkerOptions, 'onJobDone' | 'onJobFailed'>;
  /**
   * Aborted (its reason: the signal's name) when the run must stop early, e.g. Ctrl-C: the run stops
   * waiting, its workers finish their active jobs, and it fails with INTERRUPTED carrying its summary.
   */
  stop?: AbortSignal;
}

/** Where the run is, for a progress bar or log lines. */
export interface IngestProgress {
  documents: number;
  rejected: number;
  chunksQueued: number;
  chunksEmbedded: number;
  /** True once the whole source has been read (the total is then final). */
  sourceDone: boolean;
}

/** The run's result; every field but collectionInfo is what `embedline ingest --json` prints. */
export interface IngestSummary extends Pick<QueuedIngest, 'added' | 'unchanged' | 'updated' | 'repaired' | 'stale' | 'deleted' | 'pruneSkipped' | 'rejected' | 'chunksQueued'> {
  /** Chunks the store holds from this run (0 when the run did not wait). */
  chunks: number;
  jobs: number;
  failedJobs: number;
  /** This run's jobs completed as superseded: a newer run had written their documents first (0 when the run did not wait). */
  superseded: number;
  /** Checked against the store only when the run waits; null: not known without waiting. */
  requeued: number | null;
  lost: number | null;
  collection: string;
  rejectsFile?: string;
  /** The commonest reasons records were rejected for (at most REASONS_SHOWN), when any were. */
  rejectReasons?: ReasonCount[];
  indexing?: IndexingState['state'];
  /** The collection as the store describes it after a run that waited. */
  collectionInfo?: CollectionInfo;
}

export async function runIngest(plan: IngestRunPlan, deps: IngestRunDeps, onProgress?: (progress: IngestProgress) => void): Promise<IngestSummary> {
  checkPlan(plan);
  const warning = await evictionPolicyWarning(deps.connection);
  if (warning) log('warn', 'redis.eviction-policy', { message: warning });
  // The source is opened (header checked) before the model loads: a typo fails in milliseconds.
  const source = await openSource(plan.source, plan.sourceOptions);
  const { store, config } = deps;
  const { collection } = plan;
  // In-process workers serve this run only; with workers = 0 external workers serve every job.
  const run = plan.workers > 0 ? randomUUID() : undefined;
  // The run holds its collection while it works: a reindex or migrate of it is refused meanwhile
  // (and this run is refused during one, before its model loads), and the run's own workers read
  // it as "this run is alive". Released in the finally below, or here if the set-up fails.
  const hold = await claimCollection({ connection: deps.connection, prefix: config.queuePrefix, storeId: config.storeId }, collection, 'run', run ?? randomUUID(), 'an ingest');
  const { embedder, settings, queue, rejects } = await (async () => {
    const embedder = await (deps.loadEmbedder ?? loadChosenModel)(plan.model);
    // Pipelining is measured from here (bench/ingest: the first job is embedded soon after).
    log('info', 'ingest.model-loaded', { model: embedder.info.name, quantized: embedder.info.quantized });
    // A pooling the graph cannot give is refused here, not by every job a worker takes.
    embedder.requirePooling(plan.pooling ?? embedder.info.defaultPooling);
    const documentPrompt = plan.prompts?.document ?? embedder.info.defaultPrompts.document;
    const settings = chunkSettingsForModel(embedder, documentPrompt, { chunkTokens: plan.chunkTokens, overlap: plan.overlap });
    const rejects = await RejectsFile.open(plan.rejectsPath ?? defaultRejectsPath(config.dataDir, collection));
    return { embedder, settings, queue: deps.queue(), rejects };
  })().catch(async (err: unknown) => {
    await hold.release();
    await source.close();
    throw err;
  });
  const progress: IngestProgress = { documents: 0, rejected: 0, chunksQueued: 0, chunksEmbedded: 0, sourceDone: false };
  const report = () => onProgress?.({ ...progress });
  const inProcessWorkers = Array.from({ length: plan.workers }, () =>
    createEmbedWorker({
      connection: deps.connection,
      prefix: config.queuePrefix,
      embedder,
      store,
      storeId: config.storeId,
      onlyRun: run,
      concurrency: plan.concurrency,
      onJobDone: deps.workerEvents?.onJobDone,
      onJobFailed: (job, err) => {
        log('warn', 'job.failed', { job: job?.id, attempt: job?.attemptsMade, reason: err.message });
        deps.workerEvents?.onJobFailed?.(job, err);
      },
    }),
  );
  // The run's spec, computed once: the collection, every pass of the producer and every job use it.
  const spec = collectionSpecFor(embedder, { pooling: plan.pooling, normalize: plan.normalize, settings, prompts: plan.prompts });
  let bulkLoading = false;
  let ready: Promise<void> | undefined;
  // Once per run, whatever the number of passes; a bulk load starts before the first point is written.
  const collectionReady = () =>
    (ready ??= (async () => {
      await store.ensureCollection(collection, spec);
      if (plan.bulkLoad) {
        await store.beginBulkLoad?.(collection);
        bulkLoading = true;
      }
    })());
  let queued: QueuedIngest | undefined;
  let verified: VerifiedIngest | undefined;
  /** Documents of the source the store lacks (read against the store; Redis is not needed). */
  let countMissing: (() => Promise<number>) | undefined;
  try {
    // The run's write version: its writes never replace what a later run wrote (store/write-version.ts).
    const version = await whileRedisAnswers(takeWriteVersion(store, queue, collection), deps.connection, config.redisOutageMs);
    const producerPlan: IngestPlan = { collection, source, spec, prune: plan.prune, storeId: config.storeId, run, version };
    // With in-process workers the producer keeps only as many jobs waiting as they hold: it chunks
    // just ahead of them instead of chunking the corpus up front on the cores they embed on (traced:
    // the first job's 64 chunks took twice as long while the producer chunked everything else).
    if (plan.workers > 0) producerPlan.maxBacklogJobs = plan.workers * plan.concurrency;
    const producerDeps: IngestDeps = { embedder, store, queue, rejects, collectionReady };
    countMissing = async () => (await queueIngest({ ...producerPlan, pass: 'check' }, producerDeps)).documentsQueued;
    const onProducerProgress = (p: ProducerProgress) => {
      Object.assign(progress, p);
      report();
    };
    const endOfSource = () => {
      progress.sourceDone = true;
      report();
    };
    // BullMQ waits for a Redis that went away without limit; the run waits out an outage this long,
    // and no longer than until it is told to stop.
    const whileRedisReturns = <T>(work: Promise<T>) => untilStopped(whileRedisAnswers(work, deps.connection, config.redisOutageMs), deps.stop);
    if (plan.wait) {
      verified = await whileRedisReturns(ingestVerified(producerPlan, producerDeps, {
        onProducerProgress,
        onQueued: endOfSource,
        onChunksEmbedded: (chunks) => {
          progress.chunksEmbedded = chunks;
          report();
        },
      }));
      queued = verified.first;
      // A bulk load is when indexes are worth (re)building; for Qdrant this also ends bulk-load mode.
      await store.optimize(collection);
      bulkLoading = false;
    } else {
      queued = await whileRedisReturns(queueIngest(producerPlan, producerDeps, onProducerProgress));
      endOfSource();
    }
    const collectionInfo = plan.wait ? await store.describe(collection) : undefined;
    const summary = runSummary(collection, queued, verified, verified ? verified.lost : null, rejects, collectionInfo);
    if (hold.lost) throw new EmbedlineError('COLLECTION_BUSY', `the ingest into "${collection}" lost its claim on it: ${hold.lost}; run the ingest again`, { retryable: true, details: { summary } });
    const incomplete = verified && incompleteRunError(summary, verified);
    if (incomplete) throw incomplete;
    return summary;
  } catch (err) {
    // Every exit after the run started carries the run's summary (`--json` prints it), with `lost`:
    // the disk filling up, Redis away past EMBEDLINE_REDIS_OUTAGE_MS, the store refusing writes.
    if (!isEmbedlineError(err) || incompleteRunSummary(err)) throw err;
    const lost = verified ? verified.lost : await countMissing?.().catch(() => null);
    const summary = runSummary(collection, queued ?? { ...progress, added: 0, unchanged: 0, updated: 0, repaired: 0, stale: 0, deleted: 0, jobs: new Map() }, verified, lost ?? null, rejects);
    throw new EmbedlineError(err.code, err.message, { retryable: err.retryable, cause: err, details: { ...err.details, summary } });
  } finally {
    if (bulkLoading) await store.endBulkLoad?.(collection).catch((err: unknown) => log('error', 'bulk-load.restore-failed', { message: String(err) }));
    await rejects.close();
    const closed = await Promise.all(inProcessWorkers.map((w) => w.close()));
    if (closed.includes('cut-off')) log('warn', 'worker.close-cut-off', { message: 'an in-process worker did not finish closing (Redis dropped while it closed)' });
    await hold.release();
    // Frees what opening the source took (stdin's spooled copy).
    await source.close();
  }
}

/** `work`, or INTERRUPTED as soon as `stop` is aborted (the work itself is left to the process's end). */
function untilStopped<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T> {
  if (!stop) return work;
  return new Promise<T>((resolve, reject) => {
    const interrupt = () =>
      reject(new EmbedlineError('INTERRUPTED', `stopped by ${String(stop.reason)} before the run finished: the store keeps what was written; run the same ingest again to finish`, { details: { signal: stop.reason } }));
    if (stop.aborted) return interrupt();
    stop.addEventListener('abort', interrupt, { once: true });
    work.then(resolve, reject).finally(() => stop.removeEventListener('abort', interrupt));
  });
}

/** A rejects file of the run's own: runs never overwrite each other's (the time is UTC, to the millisecond). */
export function defaultRejectsPath(dataDir: string, collection: string, now = new Date()): string {
  return join(dataDir, 'rejects', `${collection}-${now.toISOString().replace(/[:.]/g, '-')}.jsonl`);
}

/** What the run did, as `--json` prints it; `queued` may be only what was read before the run stopped. */
function runSummary(
  collection: string,
  queued: Pick<QueuedIngest, 'added' | 'unchanged' | 'updated' | 'repaired' | 'stale' | 'deleted' | 'pruneSkipped' | 'rejected' | 'chunksQueued' | 'jobs'>,
  verified: VerifiedIngest | undefined,
  lost: number | null,
  rejects: RejectsFile,
  collectionInfo?: CollectionInfo,
): IngestSummary {
  return {
    added: queued.added,
    unchanged: queued.unchanged,
    updated: queued.updated,
    repaired: queued.repaired,
    stale: queued.stale,
    deleted: queued.deleted,
    pruneSkipped: queued.pruneSkipped,
    rejected: queued.rejected,
    chunks: verified?.chunks ?? 0,
    chunksQueued: queued.chunksQueued,
    jobs: queued.jobs.size,
    failedJobs: verified?.failedJobs ?? 0,
    superseded: verified?.superseded ?? 0,
    requeued: verified ? verified.requeued : null,
    lost,
    collection,
    rejectsFile: queued.rejected > 0 ? rejects.path : undefined,
    rejectReasons: queued.rejected > 0 ? rejects.topReasons(REASONS_SHOWN) : undefined,
    indexing: collectionInfo?.indexing?.state,
    collectionInfo,
  };
}

/** The summary of a run that finished but left documents out of the store (its error's details). */
export function incompleteRunSummary(err: unknown): IngestSummary | undefined {
  return isEmbedlineError(err) ? (err.details?.summary as IngestSummary | undefined) : undefined;
}

function checkPlan(plan: IngestRunPlan): void {
  if (!Number.isInteger(plan.workers) || plan.workers < 0) throw new EmbedlineError('CONFIG_INVALID', `workers must be a whole number ≥ 0, got ${plan.workers}`);
  if (!Number.isInteger(plan.concurrency) || plan.concurrency < 1) throw new EmbedlineError('CONFIG_INVALID', `concurrency must be a positive integer, got ${plan.concurrency}`);
  if (!plan.wait && plan.workers > 0) throw new EmbedlineError('CONFIG_INVALID', '--no-wait (wait: false) only makes sense with --workers 0 (workers: 0): in-process workers stop when the run returns');
  if (plan.bulkLoad && !plan.wait) throw new EmbedlineError('CONFIG_INVALID', '--bulk-load (bulkLoad) needs to wait for the load to finish (drop --no-wait / wait: false)');
}

/**
 * A run whose jobs failed for good fails with the first failed job's own code (the worker writes it
 * into the job's reason); one whose documents kept vanishing from Redis, with QUEUE_UNAVAILABLE.
 */
function incompleteRunError(summary: IngestSummary, verified: VerifiedIngest): EmbedlineError | undefined {
  if (verified.failedJobs > 0) {
    // A reason without a code is an error the worker did not expect; such runs were always labelled STORE_REJECTED.
    return new EmbedlineError(
      failureCode(verified.firstFailure) ?? 'STORE_REJECTED',
      `${verified.failedJobs} job(s) failed for good and ${verified.lost} document(s) are not in the store; see \`embedline jobs failed\`, then \`embedline jobs retry\``,
      { details: { summary, firstFailure: verified.firstFailure } },
    );
  }
  if (verified.lost > 0) {
    return new EmbedlineError(
      'QUEUE_UNAVAILABLE',
      `${verified.lost} document(s) are not in the store after ${MAX_HEAL_PASSES} rounds of queueing them again (queue state kept vanishing): run the same ingest again`,
      { retryable: true, details: { summary } },
    );
  }
  return undefined;
}
