// Every command that needs Redis, run against a Redis that is not there: each must end on its own
// within a bounded time, with exit code 1 and ONE line on stderr that names the URL and the fix,
// and no stack trace. (Before, `status` and `jobs failed` never exited and printed reconnect traces.)
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { freePort } from '../support/private-redis.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';

const iso = isolatedEnv('redis-unreachable');
after(() => iso.cleanup());

// Process start-up alone takes seconds on a loaded machine; a hang would run into the kill.
const BOUND_MS = 45_000;

function assertOneLineFailure(result: CliResult, url: string): void {
  assert.equal(result.timedOut, false, `still running after ${BOUND_MS} ms`);
  assert.equal(result.code, 1, result.stderr);
  // The one error: an `error:` line, or with --json a {"error": …} line (log lines are JSON with an event).
  const lines = cliErrors(result.stderr).map((error) => `error: ${error.message}`);
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
  assert.ok(lines[0].startsWith(`error: cannot reach Redis at ${url} (`), lines[0]);
  assert.match(lines[0], /set REDIS_URL/);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace lines');
  assert.doesNotMatch(result.stderr, /\[ioredis\]|Unhandled error event/);
}

let url = '';
before(async () => {
  url = `redis://127.0.0.1:${await freePort()}`;
});

const commands: Array<[string, string[]]> = [
  ['status', ['status']],
  ['status --json', ['status', '--json']],
  ['jobs failed', ['jobs', 'failed']],
  ['jobs retry', ['jobs', 'retry']],
  ['worker', ['worker']],
  ['ingest', ['ingest', 'samples/articles.csv', '--collection', 'articles', '--text-column', 'title,body']],
];

for (const [name, args] of commands) {
  test(`${name} with Redis refusing connections ends with one line`, async () => {
    const result = await runCli(args, { env: { ...iso.env, REDIS_URL: url }, timeoutMs: BOUND_MS });
    assertOneLineFailure(result, url);
    assert.match(result.stderr, /ECONNREFUSED/);
  });
}

test('a Redis that accepts but never answers is given up after EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS', async () => {
  // A TCP server that swallows everything: connecting works, PING never gets an answer.
  const sockets = new Set<import('node:net').Socket>();
  const silent: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentUrl = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
  try {
    const result = await runCli(['status'], { env: { ...iso.env, REDIS_URL: silentUrl, EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS: '1500' }, timeoutMs: BOUND_MS });
    assertOneLineFailure(result, silentUrl);
    assert.match(result.stderr, /no answer within 1500 ms/);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('a bad EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS is named', async () => {
  const result = await runCli(['status'], { env: { ...iso.env, EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS: 'soon' }, timeoutMs: BOUND_MS });
  assert.equal(result.code, 2, 'a bad variable is a usage error');
  assert.match(result.stderr, /EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS/);
});

/**
 * A stand-in that is a working Redis for its first connection only (enough for the start-up PING),
 * then accepts connections and answers nothing: Redis lost just after a command has begun.
 */
async function redisThatStopsAnswering(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<import('node:net').Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    if (++connections > 1) return;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      // Commands arrive as RESP arrays: *N, then $len and the argument, N times.
      for (;;) {
        const lines = buffered.split('\r\n');
        const count = Number(lines[0]?.slice(1));
        if (!lines[0]?.startsWith('*') || lines.length < 1 + 2 * count + 1) return;
        const name = lines[2].toUpperCase();
        buffered = lines.slice(1 + 2 * count).join('\r\n');
        const info = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
        socket.write(name === 'PING' ? '+PONG\r\n' : name === 'INFO' ? `$${info.length}\r\n${info}\r\n` : '+OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

for (const args of [['status'], ['jobs', 'failed']]) {
  test(`${args.join(' ')} whose Redis stops answering mid-command ends with one line`, async () => {
    const redis = await redisThatStopsAnswering();
    try {
      const result = await runCli(args, { env: { ...iso.env, REDIS_URL: redis.url, EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS: '1500' }, timeoutMs: BOUND_MS });
      assertOneLineFailure(result, redis.url);
      assert.match(result.stderr, /no answer within 1500 ms/);
    } finally {
      redis.close();
    }
  });
}
