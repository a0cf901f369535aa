// A worker writes a job's points only under a "write" hold on the collection (queue/collection-lease.ts),
// so that a reindex or migrate, which copies the collection, never misses a write made while it
// copies: while one holds the collection, jobs for it are set aside until it has finished, and the
// reindex or migrate starts copying only once the writes in progress have ended.
import { DelayedError, type Job } from 'bullmq';
import { EmbedlineError } from '../errors.ts';
import type { CollectionLeases } from '../queue/collection-lease.ts';
import type { EmbedJobData } from '../queue/embed-job.ts';

/** How long a job for a collection under reindex or migrate is set aside before it is tried again. */
const BUSY_DELAY_MS = 5000;

/** The store a job's lease is keyed by: the one its producer named, else the worker's own. */
export function leaseStoreOf(job: EmbedJobData, workerStoreId: string | undefined): string {
  return job.store ?? workerStoreId ?? 'default';
}

export class WriteGate {
  constructor(
    private readonly leases: CollectionLeases,
    private readonly storeId: string | undefined,
  ) {}

  /**
   * Runs `work` under a write hold on the job's collection; while a reindex or migrate holds the
   * collection the job is handed back untouched (no attempt used) for later.
   */
  async run<T>(job: Job<EmbedJobData>, token: string | undefined, work: () => Promise<T>): Promise<T> {
    const store = leaseStoreOf(job.data, this.storeId);
    const { collection } = job.data;
    const id = String(job.id);
    const taken = await this.leases.take(store, collection, 'write', id, `a worker writing job ${id}`).catch((err: unknown) => {
      throw new EmbedlineError('QUEUE_UNAVAILABLE', `cannot check whether "${collection}" is being reindexed or migrated: ${(err as Error).message}`, { retryable: true, cause: err });
    });
    if (taken.state === 'busy') {
      await job.moveToDelayed(Date.now() + BUSY_DELAY_MS, token);
      throw new DelayedError();
    }
    try {
      return await work();
    } finally {
      await this.leases.release(store, collection, 'write', id).catch(() => undefined);
    }
  }
}
