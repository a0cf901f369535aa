// The defaults of the runs' plans, stated once for the CLI and the library: a caller maps its flags
// or options to a partial plan and these builders fill in what it left out (the CLI's help shows
// the same constants as its defaults). checkPlan in run-ingest.ts still refuses impossible values.
import type { IngestRunPlan } from './run-ingest.ts';
import type { ReindexRunPlan } from './run-reindex.ts';
import { definedOnly } from './defined-only.ts';

/** Jobs one worker holds at once, their chunks embedded together (`embedline worker`, ingest's in-process workers). */
export const WORKER_CONCURRENCY = 4;

export const INGEST_DEFAULTS = {
  normalize: true,
  /** In-process workers; 0 only queues, for external `embedline worker`s. */
  workers: 1,
  concurrency: WORKER_CONCURRENCY,
  wait: true,
  prune: false,
  bulkLoad: false,
} as const satisfies Partial<IngestRunPlan>;

export const REINDEX_DEFAULTS = {
  normalize: true,
  /** How long the previous version stays after the switch. */
  graceMs: 60_000,
} as const satisfies Partial<ReindexRunPlan>;

/** A plan whose defaulted fields may be left out (or undefined). */
export type PartialPlan<Plan, Defaults> = Omit<Plan, keyof Defaults> & { [K in keyof Defaults & keyof Plan]?: Plan[K] };

export function ingestPlan(plan: PartialPlan<IngestRunPlan, typeof INGEST_DEFAULTS>): IngestRunPlan {
  return { ...INGEST_DEFAULTS, ...definedOnly(plan) } as IngestRunPlan;
}

export function reindexPlan(plan: PartialPlan<ReindexRunPlan, typeof REINDEX_DEFAULTS>): ReindexRunPlan {
  return { ...REINDEX_DEFAULTS, ...definedOnly(plan) } as ReindexRunPlan;
}
