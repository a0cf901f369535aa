// onnxruntime sessions, created once per model file per process and reused: creating one costs
// hundreds of milliseconds and its memory arena is meant to stay warm. Each session lives on its
// own worker thread (session-thread.mjs), so inference never blocks the event loop (queue lock
// renewal, HTTP requests). By default every thread gets its own single-threaded session and
// batches run side by side: on 2 cores that measured 7–10% more texts/s than one session using
// both threads at the same batch budget (no synchronisation inside a run, each run's activations
// in one core's cache; bench/embed/last-sweep.md). A lone short text then runs on one thread
// (3.8 vs 2.3 ms for a query), which is why latency-bound callers may ask for fewer, wider sessions.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EmbedlineError } from '../errors.ts';

export interface SessionOptions {
  /** Threads in all; defaults to the machine's cores (EMBEDLINE_THREADS overrides). */
  threads?: number;
  /** Sessions (worker threads) sharing them; default one per thread, at most MAX_DEFAULT_SESSIONS (EMBEDLINE_SESSIONS). */
  sessions?: number;
}

export interface Int64Feed {
  type: 'int64';
  data: BigInt64Array;
  dims: number[];
}

interface Task {
  feeds: Record<string, Int64Feed>;
  fetch: string;
  resolve: (data: Float32Array) => void;
  reject: (err: Error) => void;
}

const THREAD_SCRIPT = new URL('./session-thread.mjs', import.meta.url);

function positiveEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export function defaultThreadCount(): number {
  return positiveEnv('EMBEDLINE_THREADS') ?? availableParallelism();
}

/**
 * Every session holds its own copy of the weights (~90 MB for MiniLM-L6 fp32, ~440 MB for a
 * BERT-base), so on many-core machines the default stops adding sessions here and gives each
 * session several threads instead.
 */
export const MAX_DEFAULT_SESSIONS = 4;

/** Intra-op threads for each session: `threads` split over `sessions` as evenly as possible, none idle. */
export function sessionThreadLayout(threads: number, sessions?: number): number[] {
  const requested = sessions ?? positiveEnv('EMBEDLINE_SESSIONS') ?? Math.min(threads, MAX_DEFAULT_SESSIONS);
  const count = Math.max(1, Math.min(requested, threads));
  const base = Math.floor(threads / count);
  return Array.from({ length: count }, (_, i) => base + (i < threads % count ? 1 : 0));
}

/** A fixed set of sessions on worker threads, each running one batch at a time. */
export class SessionPool {
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly idle: Worker[];
  private readonly waiting: Task[] = [];
  private readonly running = new Map<Worker, Task>();

  private constructor(workers: Worker[], inputNames: string[], outputNames: string[]) {
    this.idle = [...workers];
    this.inputNames = inputNames;
    this.outputNames = outputNames;
    for (const worker of workers) {
      worker.on('message', (message: { data?: Float32Array; error?: string }) => this.finish(worker, message));
      worker.on('error', (err) => this.fail(worker, err));
      // An idle pool must not keep the process alive; a running task refs its worker (dispatch).
      worker.unref();
    }
  }

  /** One session per entry of `layout`, each with that many intra-op threads. */
  static async create(onnxPath: string, layout: readonly number[]): Promise<SessionPool> {
    const sessionOptions = (intraOpNumThreads: number) => ({
      // 'all': constant folding, GELU and LayerNorm fusion, MatMul+scale fusion and pre-packed
      // weights. (It does not fuse this export's attention; bench/README.md has the measurements.)
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads,
      interOpNumThreads: 1,
      enableCpuMemArena: true,
      enableMemPattern: true,
    });
    const workers = layout.map((threads) => new Worker(THREAD_SCRIPT, { workerData: { path: onnxPath, options: sessionOptions(threads) } }));
    try {
      const ready = await Promise.all(workers.map((w) => firstMessage(w, onnxPath)));
      return new SessionPool(workers, ready[0].inputNames, ready[0].outputNames);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  get size(): number {
    return this.idle.length + this.running.size;
  }

  /** Runs one batch; resolves with the fetched output's data. Batches beyond the pool size queue. */
  run(feeds: Record<string, Int64Feed>, fetch: string): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ feeds, fetch, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.waiting.shift()!;
      this.running.set(worker, task);
      worker.ref();
      worker.postMessage({ id: 0, feeds: task.feeds, fetch: task.fetch });
    }
  }

  private finish(worker: Worker, message: { data?: Float32Array; error?: string }): void {
    const task = this.running.get(worker);
    if (!task) return;
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (message.error !== undefined) task.reject(new EmbedlineError('MODEL_INVALID', `onnxruntime failed: ${message.error}`));
    else task.resolve(message.data!);
    this.dispatch();
  }

  private fail(worker: Worker, err: Error): void {
    const task = this.running.get(worker);
    this.running.delete(worker);
    task?.reject(err);
  }
}

function firstMessage(worker: Worker, onnxPath: string): Promise<{ inputNames: string[]; outputNames: string[] }> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { type: string; message?: string; inputNames: string[]; outputNames: string[] }) => {
      if (m.type === 'ready') resolve(m);
      else reject(new EmbedlineError('MODEL_INVALID', `cannot load ${onnxPath}: ${m.message}`, { details: { path: onnxPath } }));
    });
  });
}

const pools = new Map<string, Promise<SessionPool>>();

export function getSessionPool(onnxPath: string, options: SessionOptions = {}): Promise<SessionPool> {
  // Keyed by the resolved layout: callers that ask in different words for the same sessions share them.
  const layout = sessionThreadLayout(options.threads ?? defaultThreadCount(), options.sessions);
  const key = `${onnxPath}#${layout.join('/')}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = SessionPool.create(onnxPath, layout);
    pools.set(key, pool);
    pool.catch(() => pools.delete(key));
  }
  return pool;
}
