// Prometheus series for the server: request latency by route and status, query embedding time and
// batch size, store search time, cache hits, and the embedding queue's depth (read from Redis at
// scrape time). One registry per server, so several servers in one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EmbedQueue } from '../../queue/embed-queue.ts';
import type { SearchObserver } from '../search-service.ts';
import { withTimeout } from './with-timeout.ts';

/** Latency buckets (seconds) around the 30 ms target. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const QUEUE_READ_TIMEOUT_MS = 2000;

export class SearchMetrics implements SearchObserver {
  readonly registry = new Registry();
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status_code'>;
  private readonly embedSeconds: Histogram;
  private readonly embedBatchSize: Histogram;
  private readonly searchSeconds: Histogram;
  private readonly cacheLookups: Counter<'result'>;

  constructor(queue?: EmbedQueue) {
    const registers = [this.registry];
    this.requestSeconds = new Histogram({
      name: 'embedline_http_request_duration_seconds',
      help: 'HTTP request latency by route template and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.embedSeconds = new Histogram({ name: 'embedline_query_embed_seconds', help: 'Time of one ONNX run embedding a batch of queries', buckets: LATENCY_BUCKETS, registers });
    this.embedBatchSize = new Histogram({ name: 'embedline_query_embed_batch_size', help: 'Queries embedded together in one ONNX run', buckets: [1, 2, 4, 8, 16, 32, 64], registers });
    this.searchSeconds = new Histogram({ name: 'embedline_store_search_seconds', help: 'Time of one vector store search', buckets: LATENCY_BUCKETS, registers });
    this.cacheLookups = new Counter({ name: 'embedline_query_cache_lookups_total', help: 'Query cache lookups by result (hit, miss)', labelNames: ['result'], registers });
    if (queue) this.watchQueue(queue);
    collectDefaultMetrics({ register: this.registry, prefix: 'embedline_' });
  }

  request(method: string, route: string, statusCode: number, seconds: number): void {
    this.requestSeconds.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  embedded(queries: number, seconds: number): void {
    this.embedSeconds.observe(seconds);
    this.embedBatchSize.observe(queries);
  }

  searched(seconds: number): void {
    this.searchSeconds.observe(seconds);
  }

  cache(hit: boolean): void {
    this.cacheLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  private watchQueue(queue: EmbedQueue): void {
    const up = new Gauge({ name: 'embedline_queue_up', help: '1 when the queue depths below could be read from Redis', registers: [this.registry] });
    new Gauge({
      name: 'embedline_queue_jobs',
      help: 'Embedding jobs in the queue by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await withTimeout(queue.counts(), QUEUE_READ_TIMEOUT_MS, 'reading queue counts');
          for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
          up.set(1);
        } catch {
          // A scrape must not fail because Redis is down: the gauge says so instead.
          this.reset();
          up.set(0);
        }
      },
    });
  }
}
