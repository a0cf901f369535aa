// Continuous batching for callers that each bring one item (a search query's token ids, one input
// of an embedding request): one queue, and up to `parallelRuns` model runs at once. Whenever a run
// slot frees (or an item arrives and one is idle) it takes every waiting item of the oldest item's
// key, up to the token budget, and runs them together; no time window, so a lone item starts at
// once and a busy server's queue empties into full batches. Items of different keys (model file,
// pooling, prompt) never share a run. When several slots are idle at once, the waiting items are
// shared out between them so that both cores compute. With batching off every item gets its own
// run, through the same slots (the benchmark's baseline).
import { runRound, type Pending } from './coalescer.ts';

export type RunBatch<I, O> = (key: string, items: I[]) => Promise<O[]>;

export interface RunSlotsOptions {
  /** Runs at once (the model's sessions). */
  parallelRuns: number;
  /** false: one item per run (each query alone). */
  batching: boolean;
  /** A run of fewer items than this waits for company (see MIN_BATCH); default MIN_BATCH. */
  minBatch?: number;
  /**
   * With no run in flight, how long a smaller batch waits for company while `busy()` says other
   * work is under way (searches in the store stage, whose clients will send more); 0 or unset: never.
   */
  lingerMs?: number;
  busy?: () => boolean;
}

/** What a run's budget counts for one item: its tokens, and the budget of the run it may join. */
export interface ItemCost {
  /** Tokens of this item (its padded row is as long as the batch's longest). */
  tokens: number;
  /** Upper bound on rows × longest row for one run of this item's key (the embedder's maxBatchTokens). */
  budget: number;
}

/**
 * Fewer items than this wait for company: beside a run in flight, until its slot frees and takes
 * them with whatever came meanwhile; with nothing in flight but other work under way, up to
 * `lingerMs`. On a CPU a run of one query costs ~1.5× a query's share of a batch of 16, and a
 * LanceDB query of one vector ~2× one of a batch of 16 (bench/search's floor), while the cores a
 * small run would take are serving store searches and HTTP. At 16 connections on 2 cores, 8 gave
 * ~6 queries a run and ~20 % less CPU a request than 4 (~4 a run). A lone item on an idle server
 * starts at once.
 */
export const MIN_BATCH = 8;

/** Items per run at most, whatever the budget: a batch this size of short queries still runs in milliseconds. */
export const MAX_RUN_ITEMS = 64;

interface Waiting<I, O> extends Pending<I, O> {
  cost: ItemCost;
  /** When it was queued (performance.now()). */
  since: number;
  /** It waited while a run finished: it has had its chance of company. */
  waitedForRun: boolean;
}

export class RunSlots<I, O = Float32Array> {
  private readonly queue: Array<Waiting<I, O>> = [];
  private busy = 0;
  private readonly parallelRuns: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: RunBatch<I, O>,
    private readonly options: RunSlotsOptions,
  ) {
    this.parallelRuns = Math.max(1, options.parallelRuns);
  }

  /** Items waiting for a slot and runs in flight (for tests and metrics). */
  get load(): { waiting: number; running: number } {
    return { waiting: this.queue.length, running: this.busy };
  }

  /** The output for one item; items of one key may share a run, items of different keys never do. */
  async submit(key: string, item: I, cost: ItemCost = { tokens: 1, budget: MAX_RUN_ITEMS }): Promise<O> {
    const out = await new Promise<O[]>((resolve, reject) => {
      this.queue.push({ key, items: [item], cost, resolve, reject, since: performance.now(), waitedForRun: false });
      this.pump();
    });
    return out[0];
  }

  /** Starts runs while a slot is idle and items wait (and have waited long enough for company). */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.busy < this.parallelRuns && this.queue.length > 0) {
      const wait = this.waitForCompany();
      if (wait > 0) {
        if (wait < Infinity) this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      const round = this.takeRound(this.parallelRuns - this.busy);
      this.busy++;
      void runRound(this.run, round[0].key, round).finally(() => {
        this.busy--;
        for (const w of this.queue) w.waitedForRun = true;
        this.pump();
      });
    }
  }

  /** How much longer the waiting items should wait for company (Infinity: until a run finishes); 0: start now. */
  private waitForCompany(): number {
    const { batching, minBatch = MIN_BATCH, lingerMs = 0, busy } = this.options;
    if (!batching || this.queue.length >= minBatch) return 0;
    const oldest = this.queue[0];
    if (oldest.waitedForRun) return 0;
    if (this.busy > 0) return Infinity;
    if (lingerMs <= 0 || !busy?.()) return 0;
    return Math.max(0, oldest.since + lingerMs - performance.now());
  }

  /**
   * The waiting items of the oldest item's key that fit one run, in arrival order: within the
   * token budget (rows × the longest row, as embed/token-budget.ts counts padded batches), MAX_RUN_ITEMS,
   * and a fair share when `idle` slots are about to take the queue at once (runs of MIN_BATCH or more). The oldest item always
   * goes (alone if it fills the budget by itself); an item that does not fit waits for the next run.
   */
  private takeRound(idle: number): Array<Waiting<I, O>> {
    const key = this.queue[0].key;
    const waiting = this.queue.filter((w) => w.key === key).length;
    // Split between idle slots only into runs of at least MIN_BATCH each.
    const runs = Math.min(idle, Math.max(1, Math.floor(waiting / (this.options.minBatch ?? MIN_BATCH))));
    const share = this.options.batching ? Math.min(MAX_RUN_ITEMS, Math.ceil(waiting / runs)) : 1;
    const budget = this.queue[0].cost.budget;
    const round: Array<Waiting<I, O>> = [];
    let longest = 0;
    for (let i = 0; i < this.queue.length && round.length < share; ) {
      const w = this.queue[i];
      const rowLength = Math.max(longest, w.cost.tokens);
      if (w.key === key && (round.length === 0 || (round.length + 1) * rowLength <= budget)) {
        round.push(w);
        longest = rowLength;
        this.queue.splice(i, 1);
      } else {
        i++;
      }
    }
    return round;
  }
}
