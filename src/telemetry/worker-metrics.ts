// Prometheus series for embedding workers (`embedline worker --metrics-port`, and `ingest
// --metrics-port` for its in-process ones): chunks and tokens embedded, the size and time of each
// embedding call (tokenizing and the ONNX runs of one coalesced batch), store write times, job
// outcomes and durations, and the queue's depth and lag (telemetry/queue-gauges.ts). The worker is
// not changed for them: its embedder and store are observed through wrappers, its jobs through its
// completed/failed callbacks. One registry per instance, so tests can hold several.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { EmbedOptions, EmbedResult } from '../embed/embedder.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { StoredPoint, VectorStore, WriteOutcome } from '../store/vector-store.ts';
import { registerQueueGauges } from './queue-gauges.ts';

/** What became of one attempt at a job. `failed` counts every failed attempt, retried or not. */
export type JobOutcome = 'completed' | 'superseded' | 'failed';

/** Seconds, from a few milliseconds (a small batch) to minutes (a store that is away). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/**
 * The methods of an embedder that run the model: embed() (texts) and embedTokenIds() (texts the
 * caller tokenized, as the worker's length-sorted runs do). Each external call is one model call,
 * counted once: the embedder's own embed() reaches embedTokenIds on the embedder itself, not here.
 */
interface EmbedCall {
  embed(texts: readonly string[], options: EmbedOptions): Promise<EmbedResult>;
  embedTokenIds?(encoded: readonly number[][], options: Pick<EmbedOptions, 'pooling' | 'normalize'>): Promise<EmbedResult>;
}

const MODEL_CALLS: ReadonlySet<PropertyKey> = new Set(['embed', 'embedTokenIds']);

export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly chunksEmbedded: Counter;
  private readonly tokensEmbedded: Counter;
  private readonly embedBatch: Histogram;
  private readonly embedSeconds: Histogram;
  private readonly storeWriteSeconds: Histogram;
  private readonly storeWritePoints: Histogram;
  private readonly jobs: Counter<'outcome'>;
  private readonly jobSeconds: Histogram<'outcome'>;

  constructor(queue?: EmbedQueue) {
    const registers = [this.registry];
    this.chunksEmbedded = new Counter({ name: 'embedline_worker_chunks_embedded_total', help: 'Chunks embedded (one vector each)', registers });
    this.tokensEmbedded = new Counter({ name: 'embedline_worker_tokens_embedded_total', help: 'Tokens embedded, special tokens included', registers });
    this.embedBatch = new Histogram({ name: 'embedline_worker_embed_batch_chunks', help: 'Chunks per embedding call (the chunks of the jobs held at once, coalesced)', buckets: BATCH_BUCKETS, registers });
    this.embedSeconds = new Histogram({ name: 'embedline_worker_embed_seconds', help: 'Time of one embedding call: tokenizing and its ONNX runs', buckets: DURATION_BUCKETS, registers });
    this.storeWriteSeconds = new Histogram({ name: 'embedline_worker_store_write_seconds', help: 'Time of one store write (upsert) of embedded points', buckets: DURATION_BUCKETS, registers });
    this.storeWritePoints = new Histogram({ name: 'embedline_worker_store_write_points', help: 'Points per store write', buckets: [...BATCH_BUCKETS, 2048, 4096], registers });
    this.jobs = new Counter({ name: 'embedline_worker_jobs_total', help: 'Job attempts by outcome: completed, superseded (a newer version was stored), failed', labelNames: ['outcome'], registers });
    this.jobSeconds = new Histogram({ name: 'embedline_worker_job_seconds', help: 'Time from a job being taken to its outcome', labelNames: ['outcome'], buckets: DURATION_BUCKETS, registers });
    // Every outcome shows from the start (0), so a rate() over it works before the first failure.
    for (const outcome of ['completed', 'superseded', 'failed'] satisfies JobOutcome[]) this.jobs.inc({ outcome }, 0);
    if (queue) this.watchQueue(queue);
    collectDefaultMetrics({ register: this.registry, prefix: 'embedline_' });
  }

  /** Adds the queue's depth and lag, read from Redis at each scrape (once per instance). */
  watchQueue(queue: EmbedQueue): void {
    registerQueueGauges(this.registry, queue);
  }

  /** The same embedder, its embed() calls counted and timed. */
  observeEmbedder<T extends EmbedCall>(embedder: T): T {
    return new Proxy(embedder, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (!MODEL_CALLS.has(property)) return value.bind(target);
        const call = value as (inputs: readonly unknown[], options: EmbedOptions) => Promise<EmbedResult>;
        return async (inputs: readonly unknown[], options: EmbedOptions): Promise<EmbedResult> => {
          const started = performance.now();
          const result = await call.call(target, inputs, options);
          this.embedSeconds.observe((performance.now() - started) / 1000);
          this.embedBatch.observe(inputs.length);
          this.chunksEmbedded.inc(inputs.length);
          this.tokensEmbedded.inc(result.tokens.reduce((sum, n) => sum + n, 0));
          return result;
        };
      },
    });
  }

  /** The same store, its writes timed. */
  observeStore(store: VectorStore): VectorStore {
    return new Proxy(store, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (property !== 'upsert') return typeof value === 'function' ? value.bind(target) : value;
        return async (name: string, points: StoredPoint[]): Promise<WriteOutcome> => {
          const started = performance.now();
          const outcome = await target.upsert(name, points);
          this.storeWriteSeconds.observe((performance.now() - started) / 1000);
          this.storeWritePoints.observe(points.length);
          return outcome;
        };
      },
    });
  }

  /** One attempt's outcome; `seconds`: from BullMQ's processedOn to now. */
  job(outcome: JobOutcome, seconds: number | undefined): void {
    this.jobs.inc({ outcome });
    if (seconds !== undefined) this.jobSeconds.observe({ outcome }, seconds);
  }
}
