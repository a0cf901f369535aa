// The embedding job: a batch of chunks for one collection. Small enough for Redis (bounded count
// and bytes), never vectors. Its id is derived from its content, so re-running an ingest does not
// queue the same work twice. It carries the write version (run number) it was made for, and the
// store keeps its points only if no newer version of their document is there (store/write-version.ts).
import { createHash } from 'node:crypto';
import type { Chunk } from '../contracts/chunk.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';

export const EMBED_QUEUE = 'embed';
export const EMBED_JOB = 'embed-chunks';

export interface EmbedJobData {
  collection: string;
  /** The spec the producer chunked for; a worker with another model refuses the job. */
  spec: CollectionSpec;
  chunks: Chunk[];
  /**
   * Set by an `ingest` that runs its own workers: those serve only their own run's jobs, so jobs
   * left by a killed run (of any collection) wait for `embedline worker` or a re-run.
   */
  run?: string;
  /** The store the producer checked and expects the points in (EMBEDLINE_STORE_ID); older jobs lack it. */
  store?: string;
  /** The run number of the ingest that queued it (its points' write version); older jobs lack it (0). */
  version?: number;
  /** The W3C trace context of the run that queued it, when tracing is on: the job's span is its child. */
  traceparent?: string;
}

/** What a worker returns for a job (BullMQ keeps it as the job's return value). */
export interface EmbedJobResult {
  /** Chunks written. */
  chunks: number;
  /**
   * Chunks not written because their document had moved on (the store holds a newer version). A
   * job with any is completed as superseded: counted in `embedline status` and the run's summary.
   */
  superseded: number;
}

export function isSupersededResult(result: unknown): boolean {
  return typeof result === 'object' && result !== null && ((result as Partial<EmbedJobResult>).superseded ?? 0) > 0;
}

/** Job limits: keep a job well under Redis's comfortable value sizes and a worker's batch. */
export const MAX_CHUNKS_PER_JOB = 64;
export const MAX_JOB_BYTES = 512 * 1024;

/**
 * The first jobs a producer pass queues are smaller (16, then 32 chunks, then MAX_CHUNKS_PER_JOB):
 * the first results land soon after the model loads. An external worker runs one single-threaded
 * session by default, where a job of 64 chunks is over a second of embedding before anything is
 * written (bench/ingest: first job 2.45 s after model load with two external workers).
 */
export const FIRST_JOB_CHUNKS: readonly number[] = [16, 32];

/**
 * `run` (see EmbedJobData) scopes the id: a leftover twin from another run is not this run's job.
 * So does `version`: a leftover of an older run would be refused by the store as superseded, so it
 * must not stand in for this run's job.
 */
export function embedJobId(collection: string, chunks: readonly Chunk[], run?: string, version?: number): string {
  const hash = createHash('sha256');
  hash.update(run === undefined ? collection : `${collection}\0${run}`);
  if (version !== undefined) hash.update(`\0v${version}`);
  for (const c of chunks) hash.update(`\0${c.documentId}\0${c.chunkIndex}\0${c.contentHash}`);
  // BullMQ reserves ':' in ids; hex keeps it safe.
  return `embed-${hash.digest('hex').slice(0, 40)}`;
}

/**
 * Retries with exponential backoff: BullMQ owns retrying (the coalescer and the store adapters do
 * not stack their own on top). Waits of 4, 8, 16, 32 s (each up to 20% shorter, so workers that
 * failed together do not return in lockstep) span 48–60 s over the 5 attempts: a store or model
 * thread that is away for 30 s costs a job retries, never its place in the failed set.
 * Bounded history so Redis memory stays flat on long runs. A finished job still holds its chunk
 * texts (up to MAX_JOB_BYTES), so few completed ones are kept (re-run dedupe only needs waiting
 * and active ones); failed ones stay longer, for inspection and `embedline jobs retry`, but not
 * without limit.
 */
export const EMBED_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential' as const, delay: 4000, jitter: 0.2 },
  removeOnComplete: { count: 100, age: 3600 },
  removeOnFail: { count: 2000 },
};

/** Events stream cap (BullMQ's default is 10,000 entries). */
export const EVENTS_MAX_LEN = 1000;

/**
 * How often a job may be found stalled (its worker died holding it: kill -9, OOM, a lost host) before
 * it goes to the failed set. The job did nothing wrong, so this is more generous than `attempts`
 * (with 2, repeated worker kills sent healthy jobs to the failed set), yet bounded, so a
 * job that kills every worker that takes it still ends where `embedline jobs failed` shows it.
 */
export const MAX_STALLED_COUNT = 10;
