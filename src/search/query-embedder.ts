// Embeds one query at a time for concurrent callers. Up to `parallelRuns` ONNX runs go at once
// (one per core with single-threaded sessions); a query that finds them all busy queues, and the
// queries that queued meanwhile are embedded together in the next free run, which costs less than
// a run each. While other queries are in flight, an idle run slot waits `windowMs` for company
// before starting; a query that finds nothing in flight starts at once, since one client at a time
// would only pay the window (bench/search). A window of 0 turns batching off: every query gets its
// own run straight away (the benchmark's baseline). The items are query strings for search, token-id
// sequences for the embedding endpoints (keyed by model instead of collection).
import { Coalescer } from '../embed/coalescer.ts';

export type EmbedQueries<T = string> = (key: string, queries: T[]) => Promise<Float32Array[]>;

export interface QueryEmbedderOptions {
  windowMs: number;
  parallelRuns: number;
}

/** Queries per ONNX run: short queries, so a batch this size still runs in a few milliseconds. */
const MAX_BATCH = 64;

/** One run slot: a coalescer (which runs one batch at a time) and the queries it holds. */
interface Lane<T> {
  coalescer: Coalescer<T, Float32Array>;
  queued: number;
}

export class QueryEmbedder<T = string> {
  private readonly lanes: Array<Lane<T>> = [];

  constructor(
    private readonly embedQueries: EmbedQueries<T>,
    options: QueryEmbedderOptions,
  ) {
    if (options.windowMs <= 0) return;
    for (let i = 0; i < Math.max(1, options.parallelRuns); i++) {
      this.lanes.push({ coalescer: new Coalescer(embedQueries, { windowMs: options.windowMs, maxItems: MAX_BATCH }), queued: 0 });
    }
  }

  async embed(collection: string, query: T): Promise<Float32Array> {
    if (this.lanes.length === 0) return (await this.embedQueries(collection, [query]))[0];
    const nothingInFlight = this.lanes.every((l) => l.queued === 0);
    // The least busy slot: an idle one if there is one, else the one whose next batch is smallest.
    const lane = this.lanes.reduce((best, l) => (l.queued < best.queued ? l : best));
    lane.queued++;
    try {
      return (await lane.coalescer.submit(collection, [query], { immediate: nothingInFlight }))[0];
    } finally {
      lane.queued--;
    }
  }
}
