// Errors that start outside our routes, over a real socket to a listening server (inject skips
// node's HTTP parser): each is {"error": {"code", "message"}} with the status docs/http-api.md's table
// gives its code. Fuzzing found these in fastify's or node's own shapes (issues 16 and 17).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { STATUS_BY_CODE } from '../../src/serve/error-status.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('http-errors');
let servers: TestSearchServers;
let port: number;

async function listening(env: NodeJS.ProcessEnv = {}): Promise<{ app: FastifyInstance; port: number }> {
  const app = await servers.server(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

before(async () => {
  await buildSampleCollection(iso, 'articles');
  servers = testSearchServers(iso);
  ({ port } = await listening());
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

function assertShape(res: RawResponse, code: string, message?: RegExp): void {
  assert.equal(res.status, STATUS_BY_CODE[code as keyof typeof STATUS_BY_CODE], `${code}: ${res.status} ${res.body}`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body), ['error']);
  // Answers fastify sends carry the request id (header and body); node's own, before any request was parsed, have none.
  const requestId = res.headers['x-request-id'];
  assert.deepEqual(Object.keys(body.error).sort(), requestId === undefined ? ['code', 'message'] : ['code', 'message', 'request_id']);
  assert.equal(body.error.request_id, requestId);
  assert.equal(body.error.code, code);
  if (message) assert.match(body.error.message, message);
}

const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n${headers}\r\n`;
const post = (path: string, body: string, type = 'application/json') =>
  `POST ${path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('errors before our routes', () => {
  const cases: Array<[string, string, string, RegExp?]> = [
    ['a 5,000-character path', post(`/v1/collections/${'a'.repeat(5000)}/search`, '{"query":"x"}'), 'URI_TOO_LONG'],
    ['a 3,000-character collection name', post(`/v1/collections/${'a'.repeat(3000)}/search`, '{"query":"x"}'), 'URI_TOO_LONG', /longer than 2048/],
    ['a 200-character collection name (the naming rule says why)', post(`/v1/collections/${'a'.repeat(200)}/search`, '{"query":"x"}'), 'BAD_REQUEST', /128/],
    ['bad percent-encoding', get('/v1/collections/%E0%A4%A'), 'BAD_REQUEST', /not a valid URL/],
    ['a lone surrogate in the path', post('/v1/collections/%ED%A0%80/search', '{"query":"x"}'), 'BAD_REQUEST', /not a valid URL/],
    ['headers over 16 KB', get('/health', `X-Big: ${'a'.repeat(20_000)}\r\n`), 'HEADERS_TOO_LARGE'],
    ['bytes that are not HTTP', '\x00\x01\x02 garbage\r\n\r\n', 'METHOD_NOT_ALLOWED', /unknown HTTP method/],
    ['a malformed Content-Length', 'POST /v1/collections/articles/search HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n{}', 'BAD_REQUEST', /malformed HTTP request/],
    ['path traversal into the page', get('/%2e%2e/%2e%2e/etc/passwd'), 'FORBIDDEN', /not a file this server serves/],
    // @fastify/static 10.1.3 (pinned: later ones need Node 22) refuses a NUL byte as a bad request.
    ['a NUL byte in a file name', get('/index.html%00'), 'BAD_REQUEST'],
    ['DELETE on the search route', 'DELETE /v1/collections/articles/search HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', 'METHOD_NOT_ALLOWED', /use POST/],
    ['a method no route has', 'PROPFIND /nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', 'NOT_FOUND'],
    ['a body in XML', post('/v1/collections/articles/search', '<q/>', 'text/xml'), 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body that is not JSON', post('/v1/collections/articles/search', '{"query":'), 'BAD_REQUEST', /not valid JSON/],
  ];
  for (const [name, request, code, message] of cases) {
    test(`${name}: ${code}`, async () => {
      assertShape(await rawRequest(port, request), code, message);
    });
  }

  test('405 names the allowed methods in Allow', async () => {
    const res = await rawRequest(port, 'PUT /v1/collections HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    assertShape(res, 'METHOD_NOT_ALLOWED');
    assert.equal(res.headers.allow, 'GET, HEAD');
  });

  test('a request without Host still gets an answer in the shape', async () => {
    assertShape(await rawRequest(port, 'GET /nothing HTTP/1.1\r\nConnection: close\r\n\r\n'), 'NOT_FOUND');
  });
});

describe('bounds', () => {
  test('a half-sent request is answered 408 and closed once EMBEDLINE_HTTP_TIMEOUT_MS passes', async () => {
    const short = await listening({ EMBEDLINE_HTTP_TIMEOUT_MS: '1000' });
    // Headers complete, body promised but never sent.
    const res = await rawRequest(short.port, 'POST /v1/collections/articles/search HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"q', 15_000);
    assert.equal(res.timedOut, false, 'the server closed the half-open request');
    assertShape(res, 'REQUEST_TIMEOUT');
  });

  test('headers never finished are closed too', async () => {
    const short = await listening({ EMBEDLINE_HTTP_TIMEOUT_MS: '1000' });
    const res = await rawRequest(short.port, 'GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: a', 15_000);
    assert.equal(res.timedOut, false, 'the server closed the half-open request');
  });

  test('past the queue limit a search is refused with 503 OVERLOADED and Retry-After; the rest succeed', async () => {
    const app = await servers.server({ EMBEDLINE_MAX_QUEUED_REQUESTS: '0', EMBEDLINE_QUERY_CACHE_SIZE: '0' });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => app.inject({ method: 'POST', url: '/v1/collections/articles/search', payload: { query: `question number ${i}`, k: 1 } })),
    );
    const refused = results.filter((r) => r.statusCode === 503);
    assert.ok(refused.length > 0, 'some searches were refused');
    assert.ok(results.every((r) => r.statusCode === 200 || r.statusCode === 503), results.map((r) => r.statusCode).join());
    assert.equal(refused[0].headers['retry-after'], '1');
    assert.equal(refused[0].json().error.code, 'OVERLOADED');
    // Nothing is left held: the next search is admitted.
    assert.equal((await app.inject({ method: 'POST', url: '/v1/collections/articles/search', payload: { query: 'stars' } })).statusCode, 200);
  });
});
