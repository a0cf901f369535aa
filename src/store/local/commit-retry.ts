// Lance commits are optimistic: when several worker processes write one table, a commit can lose a
// race (a conflicting commit, a column another process just added). Lance retries compatible
// commits itself; this outer loop covers the rest by re-running the whole step — re-reading the
// schema first — a bounded number of times with jittered backoff.
import { setTimeout as sleep } from 'node:timers/promises';
import { isCommitRace } from './lance-errors.ts';

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
}

export async function retryCommitRaces<T>(step: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 25;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt >= attempts || !isCommitRace(err)) throw err;
      // Jitter keeps two losing writers from colliding again in lockstep.
      const ceiling = baseDelayMs * 2 ** (attempt - 1);
      await sleep(ceiling / 2 + Math.random() * ceiling);
    }
  }
}
