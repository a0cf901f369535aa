// onnxruntime sessions, created once per model file and thread layout per process and reused (two
// embedders asking for the same file and layout share one pool, getSessionPool): creating one costs
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
import { executionProviders, type Device } from './device.ts';

export interface SessionOptions {
  /** Threads in all; default: the machine's cores (the CLI passes EMBEDLINE_THREADS). */
  threads?: number;
  /** Sessions (worker threads) sharing them; default one per thread, at most MAX_DEFAULT_SESSIONS (the CLI passes EMBEDLINE_SESSIONS). */
  sessions?: number;
  /** Execution device; default cpu. Checked by the caller (requireDevice) before sessions start. */
  device?: Device;
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

/**
 * Every session holds its own copy of the weights (~90 MB for MiniLM-L6 fp32, ~440 MB for a
 * BERT-base), so on many-core machines the default stops adding sessions here and gives each
 * session several threads instead.
 */
export const MAX_DEFAULT_SESSIONS = 4;

/** Intra-op threads for each session: `threads` split over `sessions` as evenly as possible, none idle. */
export function sessionThreadLayout(threads: number, sessions?: number): number[] {
  const requested = sessions ?? Math.min(threads, MAX_DEFAULT_SESSIONS);
  const count = Math.max(1, Math.min(requested, threads));
  const base = Math.floor(threads / count);
  return Array.from({ length: count }, (_, i) => base + (i < threads % count ? 1 : 0));
}

/**
 * A fixed number of sessions on worker threads, each running one batch at a time. A thread that
 * dies (an uncaught error, its heap out of memory, a terminate()) is replaced with a fresh one: the batch it
 * was running fails with the retryable INFERENCE_INTERRUPTED, batches still waiting run on the
 * other threads and on the replacement, so the pool never shrinks for good and nothing hangs.
 */
export class SessionPool {
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly idle: Worker[] = [];
  private readonly waiting: Task[] = [];
  private readonly running = new Map<Worker, Task>();
  /** Every live thread with its intra-op thread count, which its replacement gets too. */
  private readonly threadsOf = new Map<Worker, number>();
  /** Why a thread died, from its 'error' event, for the message its 'exit' event sends. */
  private readonly deathCause = new Map<Worker, string>();
  /** Sessions whose replacement failed to load; tried again on the next run. */
  private missing: number[] = [];
  private starting = 0;
  /** Set by killThread: this thread is told to crash with its next batch. */
  private crashOnNextBatch: Worker | undefined;

  private constructor(
    private readonly onnxPath: string,
    private readonly device: Device,
    threads: ReadonlyArray<{ worker: Worker; intraOpThreads: number }>,
    inputNames: string[],
    outputNames: string[],
  ) {
    this.inputNames = inputNames;
    this.outputNames = outputNames;
    for (const { worker, intraOpThreads } of threads) this.adopt(worker, intraOpThreads);
  }

  /** One session per entry of `layout`, each with that many intra-op threads. */
  static async create(onnxPath: string, layout: readonly number[], device: Device = 'cpu'): Promise<SessionPool> {
    const started = await Promise.allSettled(layout.map((intraOpThreads) => startSessionThread(onnxPath, intraOpThreads, device)));
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failure) {
      await Promise.all(threads.map((t) => t.worker.terminate()));
      throw failure.reason;
    }
    return new SessionPool(onnxPath, device, threads, threads[0].inputNames, threads[0].outputNames);
  }

  /** Live session threads (a dead one counts again once its replacement has loaded). */
  get size(): number {
    return this.threadsOf.size;
  }

  /** The live threads' ids: a replaced thread's id is gone from here. */
  get threadIds(): number[] {
    return [...this.threadsOf.keys()].map((worker) => worker.threadId);
  }

  /** Runs one batch; resolves with the fetched output's data. Batches beyond the pool size queue. */
  run(feeds: Record<string, Int64Feed>, fetch: string): Promise<Float32Array> {
    if (this.missing.length > 0 && this.starting === 0) {
      const slots = this.missing;
      this.missing = [];
      for (const intraOpThreads of slots) this.replace(intraOpThreads);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ feeds, fetch, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Makes one session thread die (an uncaught error) as it receives the next batch, the way a crash
   * would: the fault tests' way to prove replacement. Not terminate(): ending a thread while
   * onnxruntime-node runs on it can abort the whole process natively. Resolves once the pool has
   * handled the death; call it before submitting the batch that should meet it.
   */
  async killThread(): Promise<void> {
    const victim = this.idle.at(-1);
    if (!victim) throw new Error('the pool has no idle session thread');
    this.crashOnNextBatch = victim;
    // Not events.once(): that rejects on the 'error' event that comes first.
    await new Promise<void>((resolve) => victim.once('exit', () => resolve()));
  }

  private adopt(worker: Worker, intraOpThreads: number): void {
    this.threadsOf.set(worker, intraOpThreads);
    worker.on('message', (message: { data?: Float32Array; error?: string }) => this.finish(worker, message));
    worker.on('error', (err) => this.deathCause.set(worker, err.message));
    worker.on('exit', (code) => this.lost(worker, code));
    // An idle pool must not keep the process alive; a running task refs its worker (dispatch).
    worker.unref();
    this.idle.push(worker);
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.waiting.shift()!;
      this.running.set(worker, task);
      worker.ref();
      const crash = this.crashOnNextBatch === worker;
      if (crash) this.crashOnNextBatch = undefined;
      worker.postMessage({ id: 0, feeds: task.feeds, fetch: task.fetch, crash });
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

  private lost(worker: Worker, exitCode: number): void {
    const intraOpThreads = this.threadsOf.get(worker);
    if (intraOpThreads === undefined) return;
    this.threadsOf.delete(worker);
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    const cause = this.deathCause.get(worker) ?? `exit code ${exitCode}`;
    this.deathCause.delete(worker);
    const task = this.running.get(worker);
    this.running.delete(worker);
    // The batch itself is fine: running it again (BullMQ's retry, the caller's) will succeed.
    task?.reject(
      new EmbedlineError('INFERENCE_INTERRUPTED', `the inference thread running this batch stopped (${cause}); it is being replaced, try again`, {
        retryable: true,
        details: { model: this.onnxPath },
      }),
    );
    this.replace(intraOpThreads);
  }

  private replace(intraOpThreads: number): void {
    this.starting++;
    startSessionThread(this.onnxPath, intraOpThreads, this.device).then(
      ({ worker }) => {
        this.starting--;
        this.adopt(worker, intraOpThreads);
        this.dispatch();
      },
      (err: unknown) => {
        this.starting--;
        this.missing.push(intraOpThreads);
        // With no session left and none coming, waiting batches would wait forever: fail them.
        if (this.threadsOf.size === 0 && this.starting === 0) {
          for (const task of this.waiting.splice(0)) task.reject(err instanceof Error ? err : new Error(String(err)));
        }
      },
    );
  }
}

interface StartedThread {
  worker: Worker;
  intraOpThreads: number;
  inputNames: string[];
  outputNames: string[];
}

/** A new worker thread with its session loaded; a thread whose session fails to load is ended. */
async function startSessionThread(onnxPath: string, intraOpThreads: number, device: Device): Promise<StartedThread> {
  const options = {
    executionProviders: executionProviders(device),
    // 'all': constant folding, GELU and LayerNorm fusion, MatMul+scale fusion and pre-packed
    // weights. (It does not fuse this export's attention; bench/README.md has the measurements.)
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    enableMemPattern: true,
  };
  const worker = new Worker(THREAD_SCRIPT, { workerData: { path: onnxPath, options } });
  try {
    return { worker, intraOpThreads, ...(await firstMessage(worker, onnxPath)) };
  } catch (err) {
    await worker.terminate();
    throw err;
  }
}

function firstMessage(worker: Worker, onnxPath: string): Promise<{ inputNames: string[]; outputNames: string[] }> {
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new EmbedlineError('MODEL_INVALID', `cannot load ${onnxPath}: its session thread exited with code ${code}`, { details: { path: onnxPath } })));
    worker.once('message', (m: { type: string; message?: string; inputNames: string[]; outputNames: string[] }) => {
      if (m.type === 'ready') resolve(m);
      else reject(new EmbedlineError('MODEL_INVALID', `cannot load ${onnxPath}: ${m.message}`, { details: { path: onnxPath } }));
    });
  });
}

const pools = new Map<string, Promise<SessionPool>>();

export function getSessionPool(onnxPath: string, options: SessionOptions = {}): Promise<SessionPool> {
  // Keyed by the resolved layout: callers that ask in different words for the same sessions share them.
  const layout = sessionThreadLayout(options.threads ?? availableParallelism(), options.sessions);
  const device = options.device ?? 'cpu';
  const key = `${onnxPath}#${layout.join('/')}#${device}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = SessionPool.create(onnxPath, layout, device);
    pools.set(key, pool);
    pool.catch(() => pools.delete(key));
  }
  return pool;
}
