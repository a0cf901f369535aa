// Lance commits are optimistic: when several worker processes write one table, a commit can lose a
// race (a conflicting commit, a column another process just added). Lance retries compatible
// commits itself; this outer loop covers the rest by re-running the whole step — re-reading the
// schema first — a bounded number of times with jittered backoff.
import { retryWithBackoff } from '../retry-with-backoff.ts';
import { isCommitRace } from './lance-errors.ts';

const COMMIT_RACE_BACKOFF = { attempts: 8, baseDelayMs: 25, maxDelayMs: 5000 };

export function retryCommitRaces<T>(step: () => Promise<T>): Promise<T> {
  return retryWithBackoff(step, COMMIT_RACE_BACKOFF, isCommitRace);
}
