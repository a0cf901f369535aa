// Every request gets an answer in its route's documented shape, and a heavy one is refused rather
// than let hold the server: a POST whose handler hangs is answered 503 TIMEOUT before its socket is
// closed (fastify's handlerTimeout stopped its clock once a body had been read, so 2,048 long
// inputs to /v1/embeddings got no reply at all and the socket closed at 60 s), and an embedding
// request over EMBEDLINE_MAX_REQUEST_TOKENS is a 400 before any inference.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { AdmissionQueue } from '../../src/search/admission-queue.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { EmbeddingService } from '../../src/serve/embedding-service.ts';
import type { EmbeddingTarget } from '../../src/serve/embedding-targets.ts';
import { QueryRuns } from '../../src/search/query-runs.ts';
import { buildSearchServer } from '../../src/serve/build-search-server.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { rawRequest } from '../support/raw-http.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const MODEL = basename(MODEL_DIR);
const iso = isolatedEnv('request-bounds');
let servers: TestSearchServers;
let app: FastifyInstance;

before(async () => {
  servers = testSearchServers(iso);
  app = await servers.server();
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** A store that lists no collections (so warm-up passes) and never answers anything else. */
function hangingStore(): VectorStore {
  const never = () => new Promise<never>(() => {});
  return { kind: 'fake', listCollections: async () => [], describe: never, count: never, search: never, ping: never } as unknown as VectorStore;
}

/** ~200 tokens of ordinary words. */
const longText = (i: number) => Array.from({ length: 190 }, (_, j) => ['stars', 'produce', 'energy', 'in', 'their', 'cores', 'by', 'fusion'][(i + j) % 8]).join(' ');

describe('a handler that does not finish', () => {
  test('a POST is answered 503 TIMEOUT (with Retry-After) before its connection is closed', async () => {
    const hung = await buildSearchServer({ store: hangingStore(), models: new CollectionModels(MODEL_DIR), config: loadConfig({ ...iso.env, EMBEDLINE_HTTP_TIMEOUT_MS: '1000' }) });
    try {
      await hung.listen({ port: 0, host: '127.0.0.1' });
      const { port } = hung.server.address() as AddressInfo;
      const res = await rawRequest(port, post('/v1/collections/docs/search', '{"query":"stars"}'), 20_000);
      assert.equal(res.status, 503, `an answer, not a closed socket: ${JSON.stringify(res)}`);
      assert.ok(res.headers['x-request-id'], 'the answer carries its request id');
      assert.deepEqual(JSON.parse(res.body), { error: { code: 'TIMEOUT', message: 'the server could not answer in time; retry shortly', request_id: res.headers['x-request-id'] } });
      assert.equal(res.headers['retry-after'], '1');
      // EMBEDLINE_HTTP_TIMEOUT_MS + 5 s.
      assert.ok(res.ms >= 5500 && res.ms < 12_000, `answered after ${Math.round(res.ms)} ms`);
    } finally {
      await hung.close();
    }
  });
});

describe('an embedding request answered 503 TIMEOUT', () => {
  test('gets the answer in OpenAI shape over a real socket', async () => {
    const slow = await servers.server({ EMBEDLINE_HTTP_TIMEOUT_MS: '1000', EMBEDLINE_MAX_REQUEST_TOKENS: '1000000' });
    await slow.listen({ port: 0, host: '127.0.0.1' });
    const { port } = slow.server.address() as AddressInfo;
    // ~390,000 tokens: a minute of inference or more on a small host, so the 6 s answer comes first.
    const body = JSON.stringify({ model: MODEL, input: Array.from({ length: 2048 }, (_, i) => longText(i)) });
    const res = await rawRequest(port, post('/v1/embeddings', body), 30_000);
    assert.equal(res.status, 503, `an answer, not a closed socket: ${res.body.slice(0, 300)}`);
    assert.deepEqual(JSON.parse(res.body), { error: { message: 'the server could not answer in time; retry shortly', type: 'server_error', param: null, code: 'TIMEOUT' } });
    assert.equal(res.headers['retry-after'], '1');
  });

  test('once abandoned, its remaining inputs are not embedded: only the batches already running finish', async () => {
    const runs: number[] = [];
    const held: Array<() => void> = [];
    // An embedder whose runs wait until the test lets them finish, counting the sequences each run gets.
    const embedder = {
      info: { name: 'fake', maxTokens: 512, checksum: 'fake', prompts: { prompts: {} } },
      maxBatchTokens: 512,
      tokenizer: { knowsId: () => true, withSpecialTokens: (ids: number[]) => [101, ...ids, 102] },
      async embedTokenIds(sequences: number[][]) {
        runs.push(sequences.length);
        await new Promise<void>((resolve) => held.push(resolve));
        return { vectors: sequences.map(() => Float32Array.of(3, 4)) };
      },
    } as unknown as Embedder;
    const target: EmbeddingTarget = { embedder, pooling: 'mean', normalize: true };
    const parallelRuns = 2;
    const queryRuns = new QueryRuns({ parallelRuns, batching: true });
    const service = new EmbeddingService({ runs: queryRuns, parallelRuns, admission: new AdmissionQueue({ concurrency: 4, maxQueued: 0 }), maxRequestTokens: 1_000_000 });
    const abandoned = new AbortController();
    const inputs = Array.from({ length: 2000 }, (_, i) => [1000 + i]);
    const outcome = service.embed(target, inputs, { truncate: false, signal: abandoned.signal }).then(
      () => 'finished',
      (err: unknown) => (err as Error).message,
    );
    while (runs.length < parallelRuns) await new Promise((resolve) => setTimeout(resolve, 5));
    abandoned.abort(new Error('answered 503 TIMEOUT'));
    // Let every run that was started, and any that would follow, finish.
    for (let i = 0; i < 50; i++) {
      held.splice(0).forEach((finish) => finish());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(await outcome, 'answered 503 TIMEOUT');
    const embedded = runs.reduce((n, r) => n + r, 0);
    // At most a batch per run slot in flight, plus the first item (run at once, alone) and the
    // items submitted as those batches' results came back, before the abort was seen.
    assert.ok(embedded <= 3 * 64 * parallelRuns, `${embedded} of ${inputs.length} sequences embedded after the abort`);
  });
});

describe('embedding requests are bounded by tokens', () => {
  test('2,048 inputs of ~200 tokens: a 400 in OpenAI shape naming the limit, at once, and the server still answers', async () => {
    const input = Array.from({ length: 2048 }, (_, i) => longText(i));
    const started = performance.now();
    const res = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: MODEL, input } });
    const ms = performance.now() - started;
    assert.equal(res.statusCode, 400, res.body);
    const { error } = res.json();
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.code, 'BAD_REQUEST');
    assert.match(error.message, /^the inputs hold \d+ tokens, over the limit of 32768 per request \(EMBEDLINE_MAX_REQUEST_TOKENS\); send them in several requests$/);
    // Tokenizing 2 MB takes a moment; embedding it took over a minute.
    assert.ok(ms < 15_000, `refused after ${Math.round(ms)} ms`);
    const small = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: MODEL, input: 'stars' } });
    assert.equal(small.statusCode, 200, small.body);
  });

  test('the limit is EMBEDLINE_MAX_REQUEST_TOKENS, and /embed (TEI) has it too', async () => {
    const low = await servers.server({ EMBEDLINE_MAX_REQUEST_TOKENS: '15' });
    const tei = await low.inject({ method: 'POST', url: '/embed', payload: { inputs: ['one two three four five six seven eight nine ten', 'eleven twelve thirteen fourteen fifteen'] } });
    assert.equal(tei.statusCode, 400, tei.body.slice(0, 200));
    assert.deepEqual(tei.json(), {
      error: {
        code: 'BAD_REQUEST',
        message: 'the inputs hold 19 tokens, over the limit of 15 per request (EMBEDLINE_MAX_REQUEST_TOKENS); send them in several requests',
        request_id: tei.headers['x-request-id'],
      },
    });
    const within = await low.inject({ method: 'POST', url: '/embed', payload: { inputs: 'one two three' } });
    assert.equal(within.statusCode, 200, within.body);
  });
});
