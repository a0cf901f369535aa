// Closing a BullMQ object (Queue, QueueEvents, Worker) within a time limit. Its close() waits for
// Redis: a connection caught between reconnect attempts when close() is called never ends, not
// even after Redis returns (seen with QueueEvents: an ingest that finished its work hung in its
// clean-up). After the grace period the connection is told to stop reconnecting and is left
// behind; its 'end' event may never come, so that is not awaited either.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Closable {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * True once `target.close()` has ended; false when it has not `graceMs` after `graceFrom` (default:
 * now) resolved, and the connection was dropped instead. A close that fails rejects as it did.
 */
export async function closeWithin(target: Closable, graceMs: number, graceFrom: Promise<unknown> = Promise.resolve()): Promise<boolean> {
  const closed = await Promise.race([target.close().then(() => true), graceFrom.then(() => sleep(graceMs, false, { ref: false }))]);
  if (!closed) void target.disconnect().catch(() => undefined);
  return closed;
}
