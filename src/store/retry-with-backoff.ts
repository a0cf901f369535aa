// Retries a step that failed for a reason that may pass (a server restarting, a dropped connection),
// waiting exponentially longer each time. The jitter keeps several workers that failed together
// from hammering a recovering server in lockstep.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  /** Wait ceiling after the first failure; doubles after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export async function retryWithBackoff<T>(step: () => Promise<T>, policy: BackoffPolicy, isTransient: (err: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(ceiling / 2 + (Math.random() * ceiling) / 2);
    }
  }
}
