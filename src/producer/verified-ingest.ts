// An ingest that reports what the STORE holds, not what was queued. After the first pass
// has queued the source and its jobs have settled, the source is read again against the store: a
// document counts only once all its chunks carry its content hash (or a later run holds it: stale,
// see ingest-plan.ts). Documents the store lacks because queue state vanished (Redis restarted
// empty, jobs evicted or trimmed, a worker's write lost) are queued again from the source itself
// (a heal pass: read, plan, apply) and waited for, up to MAX_HEAL_PASSES times; what is still
// missing after that, or after a job failed for good, is counted by a check pass (read, plan,
// nothing applied) and reported as `lost`.
import type { JobOutcome } from '../queue/embed-queue.ts';
import { queueIngest, type IngestDeps, type IngestPlan, type ProducerProgress, type QueuedIngest } from './ingest.ts';

/** Re-queue rounds before giving up; each costs one read of the source plus the missing work. */
export const MAX_HEAL_PASSES = 3;

export interface VerifiedIngest {
  first: QueuedIngest;
  /** Chunks of this run's documents that the store holds complete at the end. */
  chunks: number;
  /** Documents queued again because the store lacked (some of) their chunks after their jobs settled. */
  requeued: number;
  requeuedChunks: number;
  /** Documents the store still lacks at the end (the run then fails and says to re-run). */
  lost: number;
  /** Jobs that failed for good (the failed set); their documents are among `lost`. */
  failedJobs: number;
  /** Jobs completed as superseded (a newer run had written their documents first). */
  superseded: number;
  /** The first of those jobs' reason, `CODE: message` (see queue/job-failure.ts). */
  firstFailure?: string;
  /** Jobs that vanished from Redis (completed and trimmed, or lost); the store check decides which. */
  goneJobs: number;
}

export interface VerifiedIngestHooks {
  /** The first pass's progress (later passes re-read the source against the store silently). */
  onProducerProgress?: (p: ProducerProgress) => void;
  /** The first pass has read the whole source. */
  onQueued?: () => void;
  /** Chunks confirmed so far by completed jobs, for a progress bar. */
  onChunksEmbedded?: (chunks: number) => void;
}

export async function ingestVerified(plan: IngestPlan, deps: IngestDeps, hooks: VerifiedIngestHooks = {}): Promise<VerifiedIngest> {
  let embedded = 0;
  const settle = async (queued: QueuedIngest): Promise<JobOutcome> => {
    const base = embedded;
    const outcome = await deps.queue.waitForJobs(new Set(queued.jobs.keys()), queued.jobs, (o) => hooks.onChunksEmbedded?.(base + o.completedChunks));
    embedded = base + outcome.completedChunks;
    return outcome;
  };

  const first = await queueIngest({ ...plan, pass: 'first' }, deps, hooks.onProducerProgress);
  hooks.onQueued?.();
  let outcome = await settle(first);
  const result: VerifiedIngest = {
    first,
    chunks: 0,
    requeued: 0,
    requeuedChunks: 0,
    lost: 0,
    failedJobs: outcome.failed,
    superseded: outcome.superseded,
    firstFailure: outcome.firstFailure,
    goneJobs: outcome.gone,
  };
  for (let round = 1; ; round++) {
    // After a job failed for good, queueing its documents again would only fail again (and empty
    // the failed set `embedline jobs retry` works from): count what is missing instead.
    const pass = result.failedJobs > 0 || round > MAX_HEAL_PASSES ? 'check' : 'heal';
    const again = await queueIngest({ ...plan, pass }, deps);
    const missing = again.documentsQueued;
    if (missing === 0 || pass === 'check') {
      result.lost = missing;
      result.chunks = Math.max(0, first.chunksQueued - again.chunksQueued);
      return result;
    }
    result.requeued += missing;
    result.requeuedChunks += again.chunksQueued;
    outcome = await settle(again);
    result.failedJobs += outcome.failed;
    result.superseded += outcome.superseded;
    result.firstFailure ??= outcome.firstFailure;
    result.goneJobs += outcome.gone;
  }
}
