// The embedding queue as Prometheus gauges, read from Redis at scrape time: jobs by state and the
// age of the oldest waiting job (queue lag: how long the next job taken has waited). Shared by the
// worker's /metrics and `serve`'s. A Redis that does not answer within the bound fails no scrape:
// embedline_queue_up says 0 and the other gauges are left out.
import { setTimeout as sleep } from 'node:timers/promises';
import { Gauge, type Registry } from 'prom-client';
import type { EmbedQueue } from '../queue/embed-queue.ts';

const QUEUE_READ_TIMEOUT_MS = 2000;

/** The queue's figures, or undefined when Redis did not answer within the bound. */
interface QueueFigures {
  counts: Record<string, number>;
  oldestWaitingMs?: number;
}

async function readQueue(queue: EmbedQueue): Promise<QueueFigures | undefined> {
  const bound = new AbortController();
  const read = (async () => {
    // BullMQ pushes new jobs at the head of the wait list and takes from its tail: asc gives the tail.
    const [counts, [oldest]] = await Promise.all([queue.counts(), queue.queue.getJobs(['wait'], 0, 0, true)]);
    return { counts: { ...counts }, oldestWaitingMs: oldest ? Date.now() - oldest.timestamp : undefined };
  })();
  const timedOut = sleep(QUEUE_READ_TIMEOUT_MS, undefined, { signal: bound.signal }).catch(() => undefined);
  try {
    return await Promise.race([read, timedOut]);
  } catch {
    return undefined;
  } finally {
    bound.abort();
    read.catch(() => undefined);
  }
}

export function registerQueueGauges(registry: Registry, queue: EmbedQueue): void {
  // One read per scrape: the registry collects every gauge at once, and they share the read in flight.
  let reading: Promise<QueueFigures | undefined> | undefined;
  const figures = () => (reading ??= readQueue(queue).finally(() => (reading = undefined)));
  const registers = [registry];
  new Gauge({
    name: 'embedline_queue_up',
    help: '1 when the queue figures below could be read from Redis',
    registers,
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'embedline_queue_jobs',
    help: 'Embedding jobs in the queue by state',
    labelNames: ['state'],
    registers,
    async collect() {
      const read = await figures();
      this.reset();
      for (const [state, n] of Object.entries(read?.counts ?? {})) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'embedline_queue_oldest_waiting_job_age_seconds',
    help: 'How long the oldest waiting job has waited (0: none waits)',
    registers,
    async collect() {
      const read = await figures();
      this.reset();
      if (read) this.set((read.oldestWaitingMs ?? 0) / 1000);
    },
  });
}
