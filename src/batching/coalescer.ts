// Merges requests that arrive while a call is running (or within a short window) into one call.
// The worker's ONNX batches (coalesced-embedder.ts) and store writes are Coalescers; the run slots
// of concurrent queries (run-slots.ts) batch continuously instead, and share runRound (below): how
// one merged call answers its requests, and how a final failure is isolated.
// Workers run several jobs at once; coalescing lets their chunks share ONNX batches and store
// writes instead of one small batch per job.
//
// Retries are not done here: BullMQ's backoff owns them (src/queue/embed-job.ts). When a merged
// call fails for a reason that may pass (store down, thread lost: `retryable`), every request of
// the round fails with it at once, so each job goes back to BullMQ for a later try. Only a final
// failure (a text the model refuses, a rejected point) re-runs the requests one by one, to find
// the one poison request and let the others succeed.
import { isEmbedlineError } from '../errors.ts';

export interface CoalescerOptions {
  /** How long the first request of a round waits for company. */
  windowMs: number;
  /** A round closes early once its requests hold this many items. */
  maxItems: number;
  /**
   * Rounds run at once (default 1). With 2, the next round is handed over while one runs, so the
   * ONNX sessions never idle while a round's jobs write and acknowledge (embedded jobs finish one
   * by one instead of all together).
   */
  concurrency?: number;
}

/** One caller's request: its items, and how to answer it (one output per item, in order). */
export interface Pending<I, O> {
  key: string;
  items: I[];
  resolve: (out: O[]) => void;
  reject: (err: unknown) => void;
}

export class Coalescer<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `run` receives the items of every request in a round that share a key, in order, and returns
   * one output per item. If a merged call fails with a final (non-retryable) error, each request
   * is run alone so that one bad request fails by itself; a retryable error fails them all.
   */
  constructor(
    private readonly run: (key: string, items: I[]) => Promise<O[]>,
    private readonly options: CoalescerOptions,
  ) {}

  /** `immediate`: the caller knows no company is coming, so an idle coalescer skips the window. */
  submit(key: string, items: I[], options: { immediate?: boolean } = {}): Promise<O[]> {
    return new Promise<O[]>((resolve, reject) => {
      this.queue.push({ key, items, resolve, reject });
      this.schedule(options.immediate === true);
    });
  }

  private schedule(immediate = false): void {
    if (this.running >= (this.options.concurrency ?? 1) || this.queue.length === 0) return;
    const queued = this.queue.reduce((n, p) => n + p.items.length, 0);
    if (immediate || queued >= this.options.maxItems) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.windowMs);
    }
  }

  private takeRound(): Array<Pending<I, O>> {
    const key = this.queue[0].key;
    const round: Array<Pending<I, O>> = [];
    let items = 0;
    this.queue = this.queue.filter((p) => {
      if (p.key !== key || (round.length > 0 && items + p.items.length > this.options.maxItems)) return true;
      round.push(p);
      items += p.items.length;
      return false;
    });
    return round;
  }

  private async flush(): Promise<void> {
    if (this.running >= (this.options.concurrency ?? 1) || this.queue.length === 0) return;
    this.running++;
    const round = this.takeRound();
    try {
      await runRound(this.run, round[0].key, round);
    } finally {
      this.running--;
      // Requests that queued during the round have waited long enough for company: run them now
      // rather than opening another window.
      if (this.queue.length > 0) void this.flush();
    }
  }
}

/**
 * Runs one round (requests of one key) as one call and hands each request its outputs. If the call
 * fails with a final error, each request is run alone so that one bad request fails by itself; a
 * retryable error fails them all. Shared by the Coalescer and the run slots (run-slots.ts).
 */
export async function runRound<I, O>(run: (key: string, items: I[]) => Promise<O[]>, key: string, round: ReadonlyArray<Pending<I, O>>): Promise<void> {
  try {
    const outputs = await run(key, round.flatMap((p) => p.items));
    let offset = 0;
    for (const p of round) {
      p.resolve(outputs.slice(offset, offset + p.items.length));
      offset += p.items.length;
    }
  } catch (err) {
    if (round.length === 1 || isRetryable(err)) {
      for (const p of round) p.reject(err);
      return;
    }
    await isolate(run, key, round);
  }
}

/** Runs each request alone; once one fails retryably, the rest fail with it untried. */
async function isolate<I, O>(run: (key: string, items: I[]) => Promise<O[]>, key: string, round: ReadonlyArray<Pending<I, O>>): Promise<void> {
  for (const [index, p] of round.entries()) {
    try {
      p.resolve(await run(key, p.items));
    } catch (err) {
      p.reject(err);
      if (isRetryable(err)) {
        for (const rest of round.slice(index + 1)) rest.reject(err);
        return;
      }
    }
  }
}

function isRetryable(err: unknown): boolean {
  return isEmbedlineError(err) && err.retryable;
}
