// `embedline serve` as a user runs it: reads EMBEDLINE_DATA / REDIS_URL like the other commands,
// listens where told, answers searches, and exits 0 on SIGTERM after closing cleanly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startCli } from '../support/run-cli.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';

const iso = isolatedEnv('serve');
after(() => iso.cleanup());
before(() => buildSampleCollection(iso, 'articles'));

test('serve answers on its port and stops cleanly on SIGTERM', async () => {
  // EMBEDLINE_THREADS is the threads in all here too: one thread, one query run at a time.
  const server = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { env: { ...iso.env, EMBEDLINE_THREADS: '1' }, ready: /"event":"serve.ready"/ });
  try {
    await server.ready;
    const ready = server
      .output()
      .stderr.split('\n')
      .map((line) => (line.startsWith('{') ? JSON.parse(line) : {}))
      .find((entry) => entry.event === 'serve.ready');
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.queryRuns, 1);

    const health = await fetch(`${ready.url}/health`);
    assert.equal(health.status, 200);
    const res = await fetch(`${ready.url}/v1/collections/articles/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'when is a football player offside', k: 3 }),
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).hits[0].documentId, 'sport-001');
    // Warmed up at start: the model loaded without any embedding request asking for it.
    const deadline = Date.now() + 60_000;
    while (!/"event":"serve.model-loaded"/.test(server.output().stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(server.output().stderr, /"event":"serve.model-loaded","model":"all-MiniLM-L6-v2"/);
  } finally {
    server.child.kill('SIGTERM');
  }
  assert.equal(await server.exited, 0, server.output().stderr);
  assert.match(server.output().stderr, /"event":"serve.stopped"/);
});

test('a bad --port is refused with a message, exit 2 (a usage error)', async () => {
  const server = startCli(['serve', '--port', '70000'], { env: iso.env, ready: /never/ });
  server.ready.catch(() => undefined);
  assert.equal(await server.exited, 2);
  assert.match(server.output().stderr, /--port must be 0-65535, got "70000"/);
});
