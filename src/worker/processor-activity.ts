// How many job processors are running in this worker, so that a stop can tell "jobs still at work"
// (wait for them, however long) from "BullMQ's close is stuck on a connection" (worker-close.ts).
export class ProcessorActivity {
  private running = 0;
  private waiters: Array<() => void> = [];

  /** `processor`, counted while it runs. */
  track<A extends unknown[], R>(processor: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.running++;
      try {
        return await processor(...args);
      } finally {
        this.running--;
        if (this.running === 0) for (const wake of this.waiters.splice(0)) wake();
      }
    };
  }

  /** Processors running now. */
  get count(): number {
    return this.running;
  }

  /** Resolves once no processor runs (at once when none does). */
  whenIdle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
