// `embedline serve` off the happy path, run as a user runs it: a port already in use ends it at once
// with one line (it used to print the error and then hang, ignoring SIGTERM); Redis unreachable
// leaves search working, /health saying what is degraded, /livez and /readyz up, Bull Board a 503,
// and SIGTERM still ends it.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startCli } from '../support/run-cli.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';

const iso = isolatedEnv('serve-resilience');
after(() => iso.cleanup());
before(() => buildSampleCollection(iso, 'articles'));

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function readyUrl(stderr: string): string {
  const entry = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string; url?: string })
    .find((e) => e.event === 'serve.ready');
  assert.ok(entry?.url, stderr);
  return entry.url;
}

test('serve on a port in use exits 1 at once with one line and no stack trace', async () => {
  const occupant = createServer();
  await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
  const { port } = occupant.address() as AddressInfo;
  try {
    const started = Date.now();
    const server = startCli(['serve', '--port', String(port), '--host', '127.0.0.1'], { env: iso.env, ready: /"event":"serve.ready"/ });
    server.ready.catch(() => undefined);
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
    const code = await server.exited;
    clearTimeout(timer);
    assert.equal(code, 1, server.output().stderr);
    assert.ok(Date.now() - started < 30_000);
    const lines = server.output().stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
    assert.deepEqual(lines, [`error: cannot listen on 127.0.0.1:${port}: the port is in use; stop what uses it or pick another --port`]);
  } finally {
    occupant.close();
  }
});

test('with Redis unreachable serve keeps searching, reports the degradation, and stops on SIGTERM', async () => {
  const redisUrl = `redis://127.0.0.1:${await closedPort()}`;
  const server = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { env: { ...iso.env, REDIS_URL: redisUrl }, ready: /"event":"serve.ready"/ });
  try {
    await server.ready;
    const url = readyUrl(server.output().stderr);

    const search = await fetch(`${url}/v1/collections/articles/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'when is a football player offside', k: 3 }),
    });
    assert.equal(search.status, 200);
    assert.equal((await search.json()).hits[0].documentId, 'sport-001');

    assert.equal((await fetch(`${url}/livez`)).status, 200);
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal((await ready.json()).status, 'ready');

    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    const body = await health.json();
    assert.equal(body.status, 'degraded');
    assert.equal(body.redis.ok, false);
    assert.equal(body.store.ok, true);
    assert.match(body.degraded[0], /Redis unreachable/);

    const admin = await fetch(`${url}/admin/queues`);
    assert.equal(admin.status, 503);
    assert.equal(admin.headers.get('retry-after'), '1');
    assert.equal((await admin.json()).error.code, 'QUEUE_UNAVAILABLE');
  } finally {
    server.child.kill('SIGTERM');
  }
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
  const code = await server.exited;
  clearTimeout(timer);
  assert.equal(code, 0, server.output().stderr);
  assert.doesNotMatch(server.output().stderr, /^\s+at /m);
});
