// What one fault run found, and the shared ending of every fault script: read the store back,
// compare it with the clean run, and, when the faulted run did not end exact, run the ingest again
// (the documented remedy for some faults, a diagnostic for the others) and say what that gave.
import { comparePoints, exact, type PointComparison } from './compare-points.ts';
import { join } from 'node:path';
import type { CliChild } from './cli-child.ts';
import type { Corpus } from './corpus.ts';
import { COLLECTION, IngestRig, ingestOutcome, type IngestOutcome, type StoreKind } from './ingest-rig.ts';
import type { StoredRow } from './store-readback.ts';

export interface CleanReference {
  rows: StoredRow[];
  seconds: number;
  /** Jobs the clean ingest queued. */
  jobs: number;
}

export interface FaultResult {
  id: string;
  fault: string;
  store: StoreKind;
  /** Fault injections in this run (kills, outages, signals). */
  runs: number;
  /** The end state counted in the table (after the remedy, when the fault has one). */
  comparison?: PointComparison;
  /** Seconds from the (last) fault to the collection being complete and exact; undefined: never. */
  recoverySeconds?: number;
  exact: boolean;
  /** A faulted run that exited 0 while the store was not exact. */
  silentLoss: boolean;
  /** What happened, in order, for the report. */
  notes: string[];
}

/** Everything a fault script needs from the suite. */
export interface FaultContext {
  dir: string;
  corpus: Corpus;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /**
   * The clean run (embedded store): the reference rows for every store (ids derive from the
   * collection name, so they are the same in Qdrant), and its time and job count that pace faults.
   */
  clean(): CleanReference;
  /** Past this an ingest counts as hung and is killed. */
  ingestTimeoutMs(): number;
  /** Uniform in [low, high), from the suite's seeded generator. */
  between(low: number, high: number): number;
  log(message: string): void;
}

/** Runs `body` on a fresh rig (private Redis, fresh store) and always tears the rig down. */
export async function withRig<T>(ctx: FaultContext, name: string, store: StoreKind, options: { appendOnly?: boolean }, body: (rig: IngestRig) => Promise<T>): Promise<T> {
  const rig = await IngestRig.start({
    dir: join(ctx.dir, name),
    corpus: ctx.corpus,
    store,
    appendOnly: options.appendOnly,
    lockDurationMs: ctx.lockDurationMs,
    stalledIntervalMs: ctx.stalledIntervalMs,
    ingestTimeoutMs: ctx.ingestTimeoutMs(),
  });
  try {
    return await body(rig);
  } finally {
    await rig.close();
  }
}

export function describeIngest(outcome: IngestOutcome): string {
  const { exit, summary, message } = outcome;
  if (exit.timedOut) return `ingest HUNG: killed after ${(exit.ms / 1000).toFixed(0)} s (${message.slice(0, 160)})`;
  if (exit.code === null) return `ingest killed by ${exit.signal}`;
  const claim = summary ? `, summary chunks ${summary.chunks}, failedJobs ${summary.failedJobs}${summaryExtras(summary)}` : '';
  return exit.code === 0 ? `ingest exit 0 in ${(exit.ms / 1000).toFixed(1)} s${claim}` : `ingest exit ${exit.code} in ${(exit.ms / 1000).toFixed(1)} s${claim}: ${message.slice(0, 200)}`;
}

/** Fields other helpers may add to the summary for lost queue state (e.g. lost, requeued). */
function summaryExtras(summary: Record<string, unknown>): string {
  const known = new Set(['added', 'unchanged', 'updated', 'deleted', 'rejected', 'chunks', 'chunksQueued', 'jobs', 'failedJobs', 'collection', 'rejectsFile']);
  return Object.entries(summary)
    .filter(([key, value]) => !known.has(key) && value !== undefined && typeof value !== 'object')
    .map(([key, value]) => `, ${key} ${value}`)
    .join('');
}

export function describeComparison(c: PointComparison): string {
  return `${c.found}/${c.expected} rows, lost ${c.lost} (${c.documentsHit} docs), duplicates ${c.duplicates}, unexpected ${c.unexpected}, wrong content ${c.wrongContent}`;
}

export interface Conclusion {
  id: string;
  fault: string;
  runs: number;
  /** The faulted ingest (running or done). */
  ingest: CliChild;
  /** performance.now() of the last fault injection. */
  faultAt: number;
  /** The fault's documented remedy is to run the ingest again (Redis emptied, producer killed). */
  rerunIsRemedy: boolean;
  notes: string[];
}

export async function conclude(rig: IngestRig, ctx: FaultContext, c: Conclusion): Promise<FaultResult> {
  const store = rig.options.store;
  const reference = ctx.clean().rows;
  const first = await ingestOutcome(c.ingest);
  const notes = [...c.notes, describeIngest(first)];
  const afterRun = comparePoints(reference, await rig.readStore(), COLLECTION);
  const runExact = exact(afterRun);
  const claimedSuccess = first.exit.code === 0 && !first.exit.timedOut;
  const silentLoss = claimedSuccess && !runExact;
  notes.push(`store after the run: ${describeComparison(afterRun)}`);
  if (silentLoss) notes.push('SILENT LOSS: the ingest exited 0 but the store is not exact');
  const failed = await rig.failedReasons().catch(() => new Map<string, number>());
  if (failed.size > 0) notes.push(`failed set: ${[...failed].map(([reason, n]) => `${n} × "${reason.slice(0, 120)}"`).join('; ')}`);

  let final = afterRun;
  let completeAt = runExact ? c.ingest.startedAt + first.exit.ms : undefined;
  if (!runExact || !claimedSuccess) {
    ctx.log(`  ${c.id}: not exact after the run; running the ingest again`);
    const rerun = rig.startIngest();
    const outcome = await ingestOutcome(rerun);
    const afterRerun = comparePoints(reference, await rig.readStore(), COLLECTION);
    notes.push(`re-run (${c.rerunIsRemedy ? 'the documented remedy' : 'diagnostic only'}): ${describeIngest(outcome)}; store: ${describeComparison(afterRerun)}`);
    if (c.rerunIsRemedy) {
      final = afterRerun;
      completeAt = exact(afterRerun) ? rerun.startedAt + outcome.exit.ms : undefined;
    }
  }
  return {
    id: c.id,
    fault: c.fault,
    store,
    runs: c.runs,
    comparison: final,
    recoverySeconds: completeAt === undefined ? undefined : (completeAt - c.faultAt) / 1000,
    exact: exact(final),
    silentLoss,
    notes,
  };
}
