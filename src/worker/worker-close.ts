// Stopping a BullMQ worker without hanging. Worker.close() stops taking jobs, waits for the held
// ones and writes their outcomes: that wait is the point and has no limit. But close() meeting its
// blocking connection between two reconnect attempts (Redis restarted a moment ago) never ends,
// even once Redis is back: disconnecting an ioredis client that has no socket drops its pending
// reconnect and never reports it ended (BullMQ's own notes call this #4585). So the blocking
// connection is first let back to a live state, then closed.
//
// Should close() hang anyway (Redis dropping again mid-close), the worker is cut off once no job
// processor has run for `graceMs` (queue/bounded-close.ts), and the caller told, since BullMQ's
// timers then keep the process alive until it exits. A job whose outcome was not written returns
// to the queue when its lock expires.
import type { Worker } from 'bullmq';
import { closeWithin } from '../queue/bounded-close.ts';
import type { ProcessorActivity } from './processor-activity.ts';

export type WorkerClose = 'closed' | 'cut-off';

/** Longer than a Redis check takes (EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS), so a Redis that is simply down is reported as that. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;

export async function closeWorker(worker: Worker, activity: ProcessorActivity, graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<WorkerClose> {
  const close = async () => {
    await worker.getBackend().reconnectBlocking();
    await worker.close();
  };
  const closed = await closeWithin({ close, disconnect: () => worker.disconnect() }, graceMs, activity.whenIdle());
  return closed ? 'closed' : 'cut-off';
}
