// Up to `parallelRuns` model runs at once for callers that each bring one item (a search query, a
// token-id sequence for the embedding endpoints). Each run slot is a Coalescer: an item that finds
// every slot busy queues in the least busy one, and the items that queued meanwhile run together in
// that slot's next batch, which costs less than a run each. While other items are in flight, an idle
// slot waits `windowMs` for company before starting; an item that finds nothing in flight starts at
// once, since one client at a time would only pay the window (bench/search). A window of 0 turns
// batching off: every item gets its own run straight away (the benchmark's baseline).
import { Coalescer } from './coalescer.ts';

export type RunBatch<I, O> = (key: string, items: I[]) => Promise<O[]>;

export interface RunSlotsOptions {
  windowMs: number;
  parallelRuns: number;
}

/** Items per run: short queries, so a batch this size still runs in a few milliseconds. */
export const MAX_RUN_ITEMS = 64;

/** One run slot: a coalescer (which runs one batch at a time) and the items it holds. */
interface Slot<I, O> {
  coalescer: Coalescer<I, O>;
  queued: number;
}

export class RunSlots<I, O = Float32Array> {
  private readonly slots: Array<Slot<I, O>> = [];

  constructor(
    private readonly run: RunBatch<I, O>,
    options: RunSlotsOptions,
  ) {
    if (options.windowMs <= 0) return;
    for (let i = 0; i < Math.max(1, options.parallelRuns); i++) {
      this.slots.push({ coalescer: new Coalescer(run, { windowMs: options.windowMs, maxItems: MAX_RUN_ITEMS }), queued: 0 });
    }
  }

  /** The output for one item; items of one key may share a run, items of different keys never do. */
  async submit(key: string, item: I): Promise<O> {
    if (this.slots.length === 0) return (await this.run(key, [item]))[0];
    const nothingInFlight = this.slots.every((s) => s.queued === 0);
    // The least busy slot: an idle one if there is one, else the one whose next batch is smallest.
    const slot = this.slots.reduce((best, s) => (s.queued < best.queued ? s : best));
    slot.queued++;
    try {
      return (await slot.coalescer.submit(key, [item], { immediate: nothingInFlight }))[0];
    } finally {
      slot.queued--;
    }
  }
}
