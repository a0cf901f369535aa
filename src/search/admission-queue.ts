// Bounds the work a server holds: up to `concurrency` tasks run at once, up to `maxQueued` more
// wait their turn in arrival order, and anything beyond that is refused at once (OVERLOADED, a 503
// with Retry-After over HTTP) instead of piling up. Without it, 1,000 concurrent searches all
// started at once and the server's memory grew by gigabytes (issues 16 and 17). The server holds
// one, shared by searches and the embedding endpoints (build-search-server.ts).
import { EmbedlineError } from '../errors.ts';

export interface AdmissionLimits {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks waiting beyond those; 0 refuses whatever cannot start at once. */
  maxQueued: number;
}

export class AdmissionQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: AdmissionLimits) {}

  /** Tasks running and waiting now (for metrics and tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.maxQueued) {
        throw new EmbedlineError('OVERLOADED', `the server is busy (${this.running} requests running, ${this.waiting.length} waiting); retry shortly`, {
          retryable: true,
        });
      }
      // The slot is handed over by the task that finishes (see below), so `running` never overshoots.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
