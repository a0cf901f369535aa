// What an ingest's own worker does with a job of another run (its workers serve only their run).
// All runs share one queue, so a run's worker takes whatever is next, and sets a foreign job aside:
//   - a job of a run that is alive (its ingest holds its collection: queue/collection-lease.ts) goes
//     back almost at once, for that run's own workers; this worker then pauses briefly, longer the
//     more foreign jobs it meets in a row, so that it does not keep taking them from their owners.
//     (Setting every foreign job aside for 30 s made two concurrent ingests each wait out the other's
//     delays: 101 s each instead of 9 s.)
//   - a job left by a run that is gone (killed, or queued for external workers) is set aside for
//     LEFTOVER_DELAY_MS, for `embedline worker` or the re-run that queues it again.
import { DelayedError, type Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectionLeases } from '../queue/collection-lease.ts';
import type { EmbedJobData } from '../queue/embed-job.ts';
import { leaseStoreOf } from './write-gate.ts';

const LEFTOVER_DELAY_MS = 30_000;
const LIVE_RUN_DELAY_MS = 50;
const FIRST_PAUSE_MS = 20;
const MAX_PAUSE_MS = 1000;

export class ForeignJobs {
  private streak = 0;

  constructor(
    private readonly leases: CollectionLeases,
    private readonly storeId: string | undefined,
  ) {}

  /** This worker just took one of its own run's jobs: the next foreign one is set aside without a pause. */
  tookOwnJob(): void {
    this.streak = 0;
  }

  /** Hands the job back untouched (no attempt used) and ends its processing. */
  async setAside(job: Job<EmbedJobData>, token: string | undefined): Promise<never> {
    const { run, collection } = job.data;
    const live = run !== undefined && (await this.leases.isHeld(leaseStoreOf(job.data, this.storeId), collection, 'run', run).catch(() => false));
    await job.moveToDelayed(Date.now() + (live ? LIVE_RUN_DELAY_MS : LEFTOVER_DELAY_MS), token);
    if (live) await sleep(Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** this.streak++));
    throw new DelayedError();
  }
}
