// Redis connection errors as log lines. BullMQ re-emits every failed reconnect attempt (several a
// second while Redis is away); unheard, each prints a stack trace, and logged raw they bury the
// output. Each distinct message is logged once, and again only if it persists.
import { log } from '../log.ts';

/** The same error is logged at most this often. */
const REPEAT_ERROR_LOG_MS = 30_000;

export function redisErrorLog(event: string, redis: string): (err: Error) => void {
  const loggedAt = new Map<string, number>();
  return (err) => {
    if (Date.now() - (loggedAt.get(err.message) ?? 0) < REPEAT_ERROR_LOG_MS) return;
    loggedAt.set(err.message, Date.now());
    log('warn', event, { reason: err.message, redis });
  };
}
