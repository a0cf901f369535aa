// `embedline serve`'s request log, read from its stderr as an operator's log shipper would: one
// JSON line per request (method, route, status, ms, bytes, requestId; never a body, a query string
// or the API key), the same id in the X-Request-ID header and in error bodies, a client's sane
// X-Request-ID kept and an insane one replaced, and EMBEDLINE_LOG_LEVEL deciding what shows:
// health checks only at debug, no request lines at warn. Also: the log module keeps its line
// format (time, level, event first) now that pino writes it.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { log, setLogLevel } from '../../src/log.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('serve-request-log');
after(() => iso.cleanup());

const API_KEY = 'log-key-never-logged-93f1';
const SECRET_BODY = 'a body text that must never reach the log';
const SECRET_QUERY = 'query-string-never-logged';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LINE_FIELDS = ['time', 'level', 'event', 'method', 'route', 'status', 'ms', 'bytes', 'requestId'];

interface LogLine {
  level: string;
  event: string;
  method: string;
  route: string;
  status: number;
  ms: number;
  bytes: number | null;
  requestId: string;
  [key: string]: unknown;
}

/** A port nothing listens on now (the OS picks it; closed again at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** Runs `serve` with `env`, hands its URL to `requests`, stops it, and returns its stderr's JSON lines. */
async function withServer(env: NodeJS.ProcessEnv, requests: (url: string) => Promise<void>): Promise<{ lines: LogLine[]; stderr: string }> {
  const server = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { env: { ...iso.env, EMBEDLINE_THREADS: '1', ...env }, ready: /"event":"serve.ready"/ });
  try {
    await server.ready;
    const url = (JSON.parse(server.output().stderr.split('\n').find((l) => l.includes('"serve.ready"'))!) as { url: string }).url;
    await requests(url);
  } finally {
    server.child.kill('SIGTERM');
  }
  assert.equal(await server.exited, 0, server.output().stderr);
  const { stderr } = server.output();
  const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  return { lines, stderr };
}

test('one line per request with its fields, the id in the header and error bodies, no body, query or key in the log', async () => {
  const answers: Array<{ requestId: string; status: number; bytes: number; body: string }> = [];
  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, init);
    const body = await res.text();
    answers.push({ requestId: res.headers.get('x-request-id') ?? '', status: res.status, bytes: Buffer.byteLength(body), body });
  };
  const { lines, stderr } = await withServer({ EMBEDLINE_API_KEY: API_KEY }, async (url) => {
    const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
    await send(`${url}/v1/collections/not-there/search`, { method: 'POST', headers: { ...auth, 'x-request-id': 'client-id-42' }, body: JSON.stringify({ query: SECRET_BODY }) });
    await send(`${url}/embed`, { method: 'POST', headers: { ...auth, 'x-request-id': 'has spaces, so not sane' }, body: JSON.stringify({ inputs: SECRET_BODY }) });
    await send(`${url}/no-such-page?token=${SECRET_QUERY}`, { headers: { 'x-request-id': 'x'.repeat(129) } });
    await send(`${url}/v1/collections`, { headers: { authorization: 'Bearer wrong-key' } });
    // Refused before routing (fastify runs no hooks for it): still a line and an id.
    await send(`${url}/v1/collections/%E0%A4%A/search`, { headers: auth });
    await send(`${url}/livez`);
  });
  const requests = lines.filter((l) => l.event === 'http.request');
  // /livez is a health check: debug, not shown at the default level.
  assert.equal(requests.length, answers.length - 1, stderr);
  assert.deepEqual(
    requests.map((l) => [l.method, l.route, l.status]),
    [
      ['POST', '/v1/collections/:name/search', 404],
      ['POST', '/embed', 200],
      ['GET', '/no-such-page', 404],
      ['GET', '/v1/collections', 401],
      ['GET', '/v1/collections/%E0%A4%A/search', 400],
    ],
  );
  requests.forEach((line, i) => {
    assert.deepEqual(Object.keys(line), LINE_FIELDS);
    assert.equal(line.level, 'info');
    assert.equal(line.requestId, answers[i].requestId, 'the header carries the logged id');
    assert.equal(line.status, answers[i].status);
    assert.equal(line.bytes, answers[i].bytes, 'bytes is the body as sent');
    assert.ok(line.ms >= 0 && line.ms < 60_000, `ms ${line.ms}`);
  });
  assert.equal(answers[0].requestId, 'client-id-42', "a client's sane id is kept");
  assert.match(answers[1].requestId, UUID, 'an id with spaces is replaced');
  assert.match(answers[2].requestId, UUID, 'an id over 128 characters is replaced');
  assert.notEqual(answers[1].requestId, answers[2].requestId);
  for (const i of [0, 2, 3, 4]) assert.equal((JSON.parse(answers[i].body) as { error: { request_id: string } }).error.request_id, answers[i].requestId);
  for (const secret of [API_KEY, SECRET_BODY, SECRET_QUERY, 'wrong-key']) assert.ok(!stderr.includes(secret), `${secret} is not in the log`);
});

test('EMBEDLINE_LOG_LEVEL: debug adds health checks; warn leaves out every request line', async () => {
  const debug = await withServer({ EMBEDLINE_LOG_LEVEL: 'debug' }, async (url) => void (await fetch(`${url}/livez`)).body?.cancel());
  const livez = debug.lines.filter((l) => l.event === 'http.request' && l.route === '/livez');
  assert.equal(livez.length, 1, debug.stderr);
  assert.equal(livez[0].level, 'debug');
  // At warn the ready line (info) is not written either: readiness is polled on a fixed port instead.
  const port = await freePort();
  const server = startCli(['serve', '--port', String(port), '--host', '127.0.0.1'], { env: { ...iso.env, EMBEDLINE_THREADS: '1', EMBEDLINE_LOG_LEVEL: 'warn' }, ready: /$^/, timeoutMs: 1 });
  server.ready.catch(() => undefined);
  try {
    let answered = false;
    for (let i = 0; i < 600 && !answered; i++) {
      answered = await fetch(`http://127.0.0.1:${port}/v1/collections`).then((res) => res.status === 200, () => false);
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(answered, server.output().stderr);
  } finally {
    server.child.kill('SIGTERM');
  }
  assert.equal(await server.exited, 0);
  assert.doesNotMatch(server.output().stderr, /"event":"(http\.request|serve\.ready)"/);
});

test('the log line keeps its format under pino: time, level, event, then the fields; levels below the set one are dropped', async () => {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
  try {
    setLogLevel('info');
    log('debug', 'test.hidden');
    log('info', 'test.shown', { n: 1, text: 'a "quoted"\nline' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    log('info', 'test.later');
    setLogLevel('error');
    log('warn', 'test.hidden-too');
  } finally {
    process.stderr.write = original;
    setLogLevel('info');
  }
  assert.equal(written.length, 2, written.join(''));
  const line = JSON.parse(written[0]) as Record<string, unknown>;
  // Each line's own time (not one cached when the logger was set up).
  assert.ok(Date.parse((JSON.parse(written[1]) as { time: string }).time) > Date.parse(line.time as string), written.join(''));
  assert.deepEqual(Object.keys(line), ['time', 'level', 'event', 'n', 'text']);
  assert.deepEqual({ level: line.level, event: line.event, n: line.n, text: line.text }, { level: 'info', event: 'test.shown', n: 1, text: 'a "quoted"\nline' });
  assert.equal(new Date(line.time as string).toISOString(), line.time);
  assert.ok(written[0].endsWith('}\n'), 'one line');
});
