// Generated HTTP requests, valid and hostile, as raw bytes, for the API fuzz (bench/faults/api-fuzz.ts)
// and its small CI version (test/serve/api-fuzz.test.ts). Seeded, so a failing request can be
// regenerated from its index. Kinds: valid searches, wrong shapes, random bytes, deep filters,
// huge k, big bodies, lone surrogates, traversal in names, missing or wrong key, odd methods,
// the other routes.
import { seededRandom } from '../producer/text-generator.ts';

export interface FuzzRequest {
  kind: string;
  bytes: Buffer;
}

export interface FuzzOptions {
  collection: string;
  apiKey: string;
  /** The largest body sent (the 10 MB; smaller in the CI test). */
  bigBodyBytes: number;
}

const WORDS = ['stars', 'energy', 'football', 'offside', 'bread', 'jazz', 'glacier', 'volcano', 'python', 'ocean', 'the', 'how', 'why'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE', 'CONNECT', 'BREW', 'get', 'P0ST'];
const PATHS = ['/', '/health', '/livez', '/readyz', '/metrics', '/docs/json', '/v1/collections', '/admin/queues', '/page.js', '/nothing', '/v1/embeddings', '/v1/models', '/embed', '/info'];

export function fuzzRequests(count: number, seed: number, options: FuzzOptions): FuzzRequest[] {
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const int = (max: number) => Math.floor(rand() * max);
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const searchPath = (name = options.collection) => `/v1/collections/${name}/search`;
  const auth = () => `Authorization: Bearer ${options.apiKey}\r\n`;

  const http = (method: string, path: string, body?: string | Buffer, headers = auth(), type = 'application/json') => {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n${headers}` +
      (body === undefined ? '' : `Content-Type: ${type}\r\nContent-Length: ${payload.length}\r\n`) +
      '\r\n';
    return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
  };
  const deepFilter = (depth: number): unknown => (depth === 0 ? 'x' : { a: deepFilter(depth - 1) });

  const kinds: Array<[string, () => Buffer]> = [
    ['valid search', () => http('POST', searchPath(), JSON.stringify({ query: words(1 + int(8)), k: 1 + int(20) }))],
    ['valid search with filter', () => http('POST', searchPath(), JSON.stringify({ query: words(3), filter: { category: pick([['astronomy', 'sports'], 'music', 1, true]) } }))],
    ['wrong shape', () => http('POST', searchPath(), JSON.stringify(pick<unknown>([{}, [], 'q', 42, null, { query: 5 }, { query: '' }, { query: '   ' }, { query: 'x', fitler: {} }, { query: 'x', k: '5' }, { query: 'x', scoreThreshold: 'high' }])))],
    ['huge k', () => http('POST', searchPath(), JSON.stringify({ query: words(2), k: pick([0, -1, 1001, 1e9, 1e308, 1.5, Number.MAX_SAFE_INTEGER]) }))],
    ['deep filter', () => http('POST', searchPath(), JSON.stringify({ query: 'x', filter: deepFilter(1 + int(500)) }))],
    ['filter of many fields', () => http('POST', searchPath(), JSON.stringify({ query: 'x', filter: Object.fromEntries(Array.from({ length: 1 + int(2000) }, (_, i) => [`f${i}`, i])) }))],
    ['long query', () => http('POST', searchPath(), JSON.stringify({ query: words(300 + int(2000)) }))],
    ['lone surrogates', () => http('POST', searchPath(), `{"query":"\\ud800${words(2)}\\udfff","filter":{"\\udc00":"\\ud83d"}}`)],
    ['raw invalid UTF-8 body', () => http('POST', searchPath(), Buffer.concat([Buffer.from('{"query":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]))],
    ['bad JSON', () => http('POST', searchPath(), pick(['{', '{"query":', 'nul', '{"query":"x",}', '\u0000', '{"__proto__":{"polluted":1},"query":"x"}']))],
    ['big body', () => http('POST', searchPath(), Buffer.alloc(1 + int(options.bigBodyBytes), 'a'))],
    ['traversal in names', () => http('POST', searchPath(pick(['..', '..%2F..%2Fetc', '%2e%2e', 'a%00b', '%ED%A0%80', 'a'.repeat(129 + int(5000)), '%', '%zz', 'con', ' spaces '])), JSON.stringify({ query: 'x' }))],
    ['traversal in page paths', () => http('GET', pick(['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cwindows', '/index.html%00.js', '/docs/static/../../../package.json', '/.env', '/.git/config', `/${'a/'.repeat(1 + int(3000))}`]))],
    ['missing key', () => http('POST', searchPath(), JSON.stringify({ query: 'x' }), '')],
    ['wrong key', () => http(pick(['GET', 'POST']), pick(['/v1/collections', searchPath(), '/metrics', '/admin/queues']), undefined, pick(['Authorization: Bearer nope\r\n', 'Authorization: Basic Og==\r\n', 'Authorization: \r\n', `Authorization: Bearer ${'k'.repeat(8000)}\r\n`]))],
    ['odd method', () => http(pick(METHODS), pick([...PATHS, searchPath()]), rand() < 0.5 ? undefined : '{}')],
    ['odd content type', () => http('POST', searchPath(), JSON.stringify({ query: 'x' }), auth(), pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', '', 'application/x-www-form-urlencoded']))],
    ['other routes', () => http('GET', pick(PATHS) + pick(['', '?x=1', '?k=%ff', '#frag', '?' + 'q'.repeat(int(6000))]))],
    ['random bytes', () => Buffer.from(Array.from({ length: 1 + int(400) }, () => int(256)))],
    ['broken request line', () => Buffer.from(pick(['GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'GET / HTTP/1.1\r\nBad Header\r\n\r\n']), 'latin1')],
    ['huge headers', () => http('GET', '/health', undefined, `X-Fill: ${'h'.repeat(8000 + int(20_000))}\r\n`)],
  ];
  return Array.from({ length: count }, () => {
    const [kind, make] = pick(kinds);
    return { kind, bytes: make() };
  });
}

export interface FuzzTally {
  requests: number;
  byStatus: Record<string, number>;
  /** Responses with status ≥ 500 (kind and status), which must not happen. */
  serverErrors: Array<{ index: number; kind: string; status: number; body: string }>;
  /** Error responses not in the {"error": {"code", "message"}} shape. */
  badShape: Array<{ index: number; kind: string; status: number; body: string }>;
  /** Requests with no answer and the connection still open after `hangMs`. */
  hangs: Array<{ index: number; kind: string }>;
  /** Connections the server closed without an answer (counted, not a failure: e.g. a reset mid-body). */
  closedWithoutAnswer: number;
  slowestMs: number;
}

/** Whether an error body is ours: an `error` object with string `code` and `message` (OpenAI routes add fields). */
export function isErrorShape(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string';
  } catch {
    return false;
  }
}

/** Sends the requests, `concurrency` at a time, over raw sockets, and tallies what came back. */
export async function fuzzServer(
  send: (bytes: Buffer, timeoutMs: number) => Promise<{ status: number; body: string; timedOut: boolean; ms: number }>,
  requests: FuzzRequest[],
  options: { concurrency: number; hangMs: number },
): Promise<FuzzTally> {
  const tally: FuzzTally = { requests: requests.length, byStatus: {}, serverErrors: [], badShape: [], hangs: [], closedWithoutAnswer: 0, slowestMs: 0 };
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const { kind, bytes } = requests[index];
      const res = await send(bytes, options.hangMs);
      tally.slowestMs = Math.max(tally.slowestMs, res.ms);
      if (res.timedOut) {
        tally.hangs.push({ index, kind });
        continue;
      }
      if (res.status === 0) {
        tally.closedWithoutAnswer++;
        continue;
      }
      tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
      const sample = { index, kind, status: res.status, body: res.body.slice(0, 200) };
      if (res.status >= 500) tally.serverErrors.push(sample);
      const isHead = bytes.subarray(0, 5).toString('latin1') === 'HEAD ';
      if (res.status >= 400 && !isHead && !isErrorShape(res.body)) tally.badShape.push(sample);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally;
}
