// One load run: autocannon POSTing searches (a rotating mix of queries) to a running server for a
// fixed time with N connections. Latency percentiles come from every response's own time
// (autocannon's summary has no p95).
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  collection: string;
  queries: string[];
  connections: number;
  seconds: number;
  k?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-2xx responses, errors and timeouts: any of them makes the row suspect. */
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: `/v1/collections/${options.collection}/search`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: options.queries[next++ % options.queries.length], k: options.k ?? 10 }) }),
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
