// Prometheus series for the server: request latency by route and status, query embedding time and
// batch size, store search time, cache hits, and the embedding queue's depth and lag (read from
// Redis at scrape time, telemetry/queue-gauges.ts). One registry per server, so several servers in
// one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { SearchObserver } from '../search/search-service.ts';
import { registerQueueGauges } from '../telemetry/queue-gauges.ts';

/** Latency buckets (seconds) around the 30 ms target. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

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
    if (queue) registerQueueGauges(this.registry, queue);
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
}
