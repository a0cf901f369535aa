// The HTTP API over a real collection (the sample articles, embedded with the real model, in the
// LanceDB store) and real Redis: right top hits, filters, the error statuses and their messages,
// the API key, metrics, health, docs, Bull Board, rate limit and CORS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SearchHit as Hit } from '../../src/contracts/search-hit.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { articleText, buildSampleCollection, sampleArticles, sampleQueries } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const COLLECTION = 'articles';
const API_KEY = 'test-key-3f9a';
const SEARCH_URL = `/v1/collections/${COLLECTION}/search`;

const iso = isolatedEnv('search-api');
let servers: TestSearchServers;
let app: FastifyInstance;
let sample: { points: number; documents: number };

before(async () => {
  sample = await buildSampleCollection(iso, COLLECTION);
  servers = testSearchServers(iso);
  app = await servers.server();
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

async function search(body: unknown, target = app): Promise<{ hits: Hit[]; tookMs: number }> {
  const res = await target.inject({ method: 'POST', url: SEARCH_URL, payload: body as InjectOptions['payload'] });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** An error response: the status, and a body that is exactly {"error": {code, message, request_id}} (the id as in X-Request-ID), with no stack. */
function assertError(res: LightMyRequestResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  const body = res.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'request_id']);
  assert.equal(body.error.request_id, res.headers['x-request-id']);
  assert.equal(body.error.code, code);
  if (message) assert.match(body.error.message, message);
  assert.doesNotMatch(res.body, /\bat .+:\d+:\d+|node_modules|\.ts:\d+/, 'no stack trace in an error body');
}

describe('search', () => {
  for (const { query, expected } of sampleQueries()) {
    test(`"${query}" ranks ${expected} first`, async () => {
      const { hits } = await search({ query, k: 5 });
      assert.equal(hits[0].documentId, expected, hits.map((h) => `${h.documentId} ${h.score.toFixed(3)}`).join(', '));
    });
  }

  test('a hit has exactly the documented fields, hits are ordered by score, and tookMs is reported', async () => {
    const { hits, tookMs } = await search({ query: 'how do stars produce energy', k: 7 });
    assert.equal(hits.length, 7);
    assert.deepEqual(Object.keys(hits[0]), ['id', 'score', 'documentId', 'chunkIndex', 'text', 'start', 'end', 'metadata']);
    assert.deepEqual(hits[0].metadata, { category: 'astronomy', year: '2023', author: "Liam O'Connor" });
    assert.match(hits[0].text, /^How Stars Shine/);
    assert.ok(hits.every((h, i) => i === 0 || hits[i - 1].score >= h.score));
    assert.ok(typeof tookMs === 'number' && tookMs >= 0);
  });

  test('start and end locate each hit\'s text in its document (they were once dropped by the response schema)', async () => {
    const texts = new Map(sampleArticles().map((a) => [a.id, articleText(a)]));
    const { hits } = await search({ query: 'how do stars produce energy', k: 20 });
    for (const hit of hits) {
      assert.ok(Number.isInteger(hit.start) && hit.end > hit.start, JSON.stringify(hit));
      assert.equal(texts.get(hit.documentId)?.slice(hit.start, hit.end), hit.text, `${hit.documentId}#${hit.chunkIndex}`);
    }
  });

  test('k defaults to 10', async () => {
    assert.equal((await search({ query: 'planets' })).hits.length, 10);
  });

  test('a category filter keeps only that category', async () => {
    const { hits } = await search({ query: 'how do stars produce energy', k: 20, filter: { category: 'biology' } });
    assert.equal(hits.length, 20);
    assert.ok(hits.every((h) => h.metadata.category === 'biology'));
  });

  test('a list of values is any-of, and several fields must all match', async () => {
    const anyOf = await search({ query: 'energy', k: 40, filter: { category: ['biology', 'cooking'] } });
    assert.deepEqual(new Set(anyOf.hits.map((h) => h.metadata.category)), new Set(['biology', 'cooking']));
    const both = await search({ query: 'energy', k: 50, filter: { category: 'astronomy', year: '2019' } });
    assert.ok(both.hits.length > 0);
    assert.ok(both.hits.every((h) => h.metadata.category === 'astronomy' && h.metadata.year === '2019'));
  });

  test('a filter value is read as its field\'s recorded type: year 2019 finds the CSV string "2019"', async () => {
    const asNumber = await search({ query: 'energy', filter: { year: 2019 } });
    assert.ok(asNumber.hits.length > 0);
    assert.deepEqual(asNumber, { ...(await search({ query: 'energy', filter: { year: '2019' } })), tookMs: asNumber.tookMs });
  });

  test('scoreThreshold drops weaker hits', async () => {
    const { hits } = await search({ query: 'when is a football player offside', k: 50, scoreThreshold: 0.5 });
    assert.ok(hits.length >= 1 && hits.length < 50);
    assert.ok(hits.every((h) => h.score >= 0.5));
  });
});

describe('bad requests get 400 with a message naming the field', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['empty query', { query: '' }, /^body\.query must not be empty$/],
    ['blank query', { query: '   ' }, /^body\.query must not be blank$/],
    ['missing query', { k: 3 }, /^body\.query is required$/],
    ['query not a string', { query: 42 }, /^body\.query must be a string$/],
    ['k = 0', { query: 'x', k: 0 }, /^body\.k must be ≥ 1$/],
    ['k = 1001', { query: 'x', k: 1001 }, /^body\.k must be ≤ 1000$/],
    ['k not an integer', { query: 'x', k: 2.5 }, /^body\.k must be an integer$/],
    ['k as a string', { query: 'x', k: '5' }, /^body\.k must be an integer$/],
    ['filter not an object', { query: 'x', filter: 'category=biology' }, /^body\.filter must be an object$/],
    ['filter value an object that is no range', { query: 'x', filter: { category: { eq: 'biology' } } }, /^body\.filter\.category has unknown operator "eq": a range takes gt, gte, lt and lte/],
    ['filter value an empty list', { query: 'x', filter: { category: [] } }, /^body\.filter\.category must be/],
    ['filter on an unknown field', { query: 'x', filter: { colour: 'red' } }, /unknown filter field "colour"/],
    ['scoreThreshold not a number', { query: 'x', scoreThreshold: 'high' }, /^body\.scoreThreshold must be a number$/],
    ['misspelt field', { query: 'x', fitler: { category: 'biology' } }, /^body has an unknown field "fitler"$/],
    ['body an array', [{ query: 'x' }], /^body must be an object$/],
  ];
  for (const [name, body, message] of cases) {
    test(name, async () => {
      const res = await app.inject({ method: 'POST', url: SEARCH_URL, payload: body as InjectOptions['payload'] });
      assertError(res, 400, 'BAD_REQUEST', message);
    });
  }

  test('invalid JSON', async () => {
    const res = await app.inject({ method: 'POST', url: SEARCH_URL, headers: { 'content-type': 'application/json' }, payload: '{"query": "stars",' });
    assertError(res, 400, 'BAD_REQUEST', /^body is not valid JSON$/);
  });

  test('a plain-text body is another media type: 415, as docs/http-api.md says', async () => {
    const res = await app.inject({ method: 'POST', url: SEARCH_URL, headers: { 'content-type': 'text/plain' }, payload: 'stars' });
    assertError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/);
  });

  test('a body of another media type', async () => {
    const res = await app.inject({ method: 'POST', url: SEARCH_URL, headers: { 'content-type': 'application/xml' }, payload: '<query>stars</query>' });
    assertError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/);
  });

  test('an oversized body gets 413', async () => {
    const res = await app.inject({ method: 'POST', url: SEARCH_URL, payload: { query: 'x'.repeat(100_000) } });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE', /limit of \d+ bytes/);
  });

  test('an invalid collection name', async () => {
    assertError(await app.inject({ method: 'POST', url: '/v1/collections/-bad/search', payload: { query: 'x' } }), 400, 'BAD_REQUEST', /invalid collection name/);
  });

  test('collection names with traversal, spaces, unicode or 129-200 characters get the naming rule; 128 characters are allowed', async () => {
    for (const name of ['..%2Fescape', 'my%20docs', 'caf%C3%A9', 'x'.repeat(129), 'x'.repeat(200)]) {
      const res = await app.inject({ method: 'POST', url: `/v1/collections/${name}/search`, payload: { query: 'x' } });
      assertError(res, 400, 'BAD_REQUEST', /invalid collection name .*: use 1-128 characters from letters/);
    }
    // A valid 128-character name reaches the store and is simply not there.
    const res = await app.inject({ method: 'POST', url: `/v1/collections/${'x'.repeat(128)}/search`, payload: { query: 'x' } });
    assertError(res, 404, 'COLLECTION_MISSING', /does not exist|not found|no collection/i);
  });
});

describe('not found', () => {
  test('an unknown collection gets 404 COLLECTION_MISSING', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/collections/no-such-thing/search', payload: { query: 'stars' } });
    assertError(res, 404, 'COLLECTION_MISSING', /"no-such-thing"/);
  });

  test('an unknown route gets 404 NOT_FOUND', async () => {
    assertError(await app.inject({ method: 'GET', url: '/v1/nothing' }), 404, 'NOT_FOUND', /GET \/v1\/nothing/);
  });
});

describe('collections, health, metrics, docs, admin', () => {
  test('GET /v1/collections lists the collection with its model, pooling, dims and metadata fields', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/collections' });
    assert.equal(res.statusCode, 200, res.body);
    const [c] = res.json().collections;
    assert.deepEqual(
      { name: c.name, points: c.points, documents: c.documents, model: c.model, pooling: c.pooling, dims: c.dims },
      { name: COLLECTION, points: sample.points, documents: sample.documents, model: 'all-MiniLM-L6-v2', pooling: 'mean', dims: 384 },
    );
    const fields = Object.fromEntries(c.metadataFields.map((f: { name: string }) => [f.name, f]));
    assert.deepEqual(Object.keys(fields), ['author', 'category', 'year']);
    assert.deepEqual(fields.category, { name: 'category', type: 'string', values: ['astronomy', 'biology', 'cooking', 'geography', 'history', 'music', 'programming', 'sports'] });
    assert.equal(fields.year.type, 'string');
  });

  test('GET /health reports Redis and the store reachable; /livez and /readyz answer 200', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { status: 'ok', degraded: [], redis: { ok: true }, store: { ok: true } });
    assert.deepEqual((await app.inject({ method: 'GET', url: '/livez' })).json(), { status: 'ok' });
    assert.deepEqual((await app.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready', store: { ok: true } });
  });

  test('with Redis unreachable /health says search works but the queue views are degraded; /readyz stays 200', async () => {
    const unreachable = new EmbedQueue(redisOptionsFromUrl('redis://127.0.0.1:1'), iso.prefix);
    unreachable.queue.on('error', () => undefined); // connection refused, over and over: expected here
    try {
      const down = await servers.server({}, { queue: unreachable });
      const res = await down.inject({ method: 'GET', url: '/health' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.status, 'degraded');
      assert.equal(body.redis.ok, false);
      assert.match(body.redis.error, /Redis/);
      assert.deepEqual(body.store, { ok: true });
      assert.deepEqual(body.degraded, ['Redis unreachable: /admin/queues and the queue metrics are unavailable; search works']);
      assert.equal((await down.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assertError(await down.inject({ method: 'GET', url: '/admin/queues' }), 503, 'QUEUE_UNAVAILABLE', /Bull Board needs Redis/);
    } finally {
      await unreachable.close();
    }
  });

  test('concurrent queries are embedded together, and /metrics exposes latency, embed time, batch size and queue depth', async () => {
    const queries = ['volcanoes', 'jazz harmony', 'sourdough starter', 'binary search', 'the moon landing', 'photosynthesis', 'marathon training', 'tides'];
    await Promise.all(queries.map((query) => search({ query, k: 3 })));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    const text = res.body;
    for (const name of [
      'embedline_http_request_duration_seconds_bucket',
      'embedline_query_embed_seconds_bucket',
      'embedline_query_embed_batch_size_bucket',
      'embedline_store_search_seconds_bucket',
      'embedline_query_cache_lookups_total',
      'embedline_queue_jobs{state="waiting"}',
      'embedline_queue_up 1',
    ]) {
      assert.ok(text.includes(name), `metrics lack ${name}`);
    }
    assert.match(text, /embedline_http_request_duration_seconds_count\{method="POST",route="\/v1\/collections\/:name\/search",status_code="200"\} \d+/);
    const sum = Number(/^embedline_query_embed_batch_size_sum (\d+)/m.exec(text)?.[1]);
    const runs = Number(/^embedline_query_embed_batch_size_count (\d+)/m.exec(text)?.[1]);
    assert.ok(sum > runs, `some ONNX run embedded several queries (${sum} queries in ${runs} runs)`);
  });

  test('a repeated query is answered from the cache', async () => {
    const hits = () => app.inject({ method: 'GET', url: '/metrics' }).then((r) => Number(/cache_lookups_total\{result="hit"\} (\d+)/.exec(r.body)?.[1] ?? 0));
    const before = await hits();
    const first = await search({ query: 'how are glaciers formed', k: 4, filter: { category: ['geography', 'history'] } });
    const second = await search({ query: 'how are glaciers formed', k: 4, filter: { category: ['history', 'geography'] } });
    assert.deepEqual(second.hits, first.hits);
    assert.equal(await hits(), before + 1);
  });

  test('the OpenAPI document describes the API, and the interactive docs are served', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    assert.equal(doc.openapi.slice(0, 2), '3.');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/', '/embed', '/embed_all', '/health', '/info', '/livez', '/metrics', '/readyz', '/tokenize', '/v1/collections', '/v1/collections/{name}/search', '/v1/embeddings', '/v1/models', '/v1/models/{id}']);
    const search = doc.paths['/v1/collections/{name}/search'].post;
    assert.deepEqual(search.requestBody.content['application/json'].schema.required, ['query']);
    const hit = search.responses['200'].content['application/json'].schema.properties.hits.items;
    assert.deepEqual(hit.required, ['id', 'score', 'documentId', 'chunkIndex', 'text', 'start', 'end', 'metadata']);
    assert.deepEqual([hit.properties.start.type, hit.properties.end.type], ['integer', 'integer']);
    assert.match(hit.properties.start.description, /offset/);
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.body, /swagger/i);
  });

  test('Bull Board is served at /admin/queues', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/queues' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html/i);
    const queues = await app.inject({ method: 'GET', url: '/admin/queues/api/queues' });
    assert.equal(queues.statusCode, 200, queues.body);
    assert.equal(queues.json().queues[0].name, 'embed');
  });

  test('the page is served at /', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>embedline search<\/title>/);
    assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
  });
});

describe('with EMBEDLINE_API_KEY set', () => {
  let keyed: FastifyInstance;
  before(async () => {
    keyed = await servers.server({ EMBEDLINE_API_KEY: API_KEY });
  });

  const protectedRequests: InjectOptions[] = [
    { method: 'GET', url: '/v1/collections' },
    { method: 'POST', url: SEARCH_URL, payload: { query: 'stars' } },
    { method: 'POST', url: '/v1/collections/no-such-thing/search', payload: { query: 'stars' } },
    { method: 'GET', url: '/v1/nothing' },
    { method: 'GET', url: '/metrics' },
    { method: 'GET', url: '/admin/queues' },
    { method: 'GET', url: '/admin/queues/api/queues' },
  ];

  for (const request of protectedRequests) {
    test(`${request.method} ${request.url} needs the key`, async () => {
      const missing = await keyed.inject(request);
      assertError(missing, 401, 'UNAUTHORIZED', /API key required/);
      assert.match(missing.headers['www-authenticate'] as string, /^(Bearer|Basic) realm=/);
      const wrong = await keyed.inject({ ...request, headers: { authorization: 'Bearer not-the-key' } });
      assertError(wrong, 401, 'UNAUTHORIZED', /wrong API key/);
      const right = await keyed.inject({ ...request, headers: { authorization: `Bearer ${API_KEY}` } });
      assert.notEqual(right.statusCode, 401, right.body);
    });
  }

  test('the right key gets results', async () => {
    const res = await keyed.inject({ method: 'POST', url: SEARCH_URL, payload: { query: 'how do stars produce energy' }, headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(res.json().hits[0].documentId, 'ast-001');
  });

  test('Bull Board also takes the key as a Basic password, so a browser can ask for it', async () => {
    const basic = `Basic ${Buffer.from(`admin:${API_KEY}`).toString('base64')}`;
    assert.equal((await keyed.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: basic } })).statusCode, 200);
    assert.match((await keyed.inject({ method: 'GET', url: '/admin/queues' })).headers['www-authenticate'] as string, /^Basic/);
  });

  for (const url of ['/health', '/livez', '/readyz', '/', '/page.js', '/docs/json']) {
    test(`${url} stays public`, async () => {
      assert.equal((await keyed.inject({ method: 'GET', url })).statusCode, 200);
    });
  }
});

describe('rate limit and CORS', () => {
  test('EMBEDLINE_RATE_LIMIT limits API requests per client per minute, and not /health', async () => {
    const limited = await servers.server({ EMBEDLINE_RATE_LIMIT: '3' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.inject({ method: 'GET', url: '/v1/collections' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assertError(await limited.inject({ method: 'GET', url: '/v1/collections' }), 429, 'RATE_LIMITED', /retry in \d+ s/);
    assert.equal((await limited.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });

  test('without EMBEDLINE_RATE_LIMIT there is no limit and no rate-limit headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/collections' });
    assert.equal(res.headers['x-ratelimit-limit'], undefined);
  });

  test('EMBEDLINE_CORS_ORIGIN allows that origin, preflights included, even with an API key', async () => {
    const cors = await servers.server({ EMBEDLINE_CORS_ORIGIN: 'https://app.example.org', EMBEDLINE_API_KEY: API_KEY });
    const preflight = await cors.inject({
      method: 'OPTIONS',
      url: SEARCH_URL,
      headers: { origin: 'https://app.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.statusCode, 204, preflight.body);
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.org');
    const other = await cors.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example.com' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  test('without EMBEDLINE_CORS_ORIGIN no CORS headers are sent', async () => {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://app.example.org' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});
