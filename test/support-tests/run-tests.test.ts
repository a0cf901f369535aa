// `npm test`'s runner (test/support/run-tests.ts) leaves the machine as it found it: without REDIS_URL it
// starts a redis-server of its own on a free port (not 6379), hands its URL to the tests, and stops it
// afterwards, whether the tests pass, fail or are stopped by SIGTERM; a given REDIS_URL is passed through
// untouched and no server is started. A small fixture test file stands in for the suite: it records the
// REDIS_URL it got and whether that Redis answered PING.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_REDIS_URL } from '../support/isolated-env.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedline-run-tests-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The stand-in suite: one test that writes what it saw to PROBE_FILE, then fails or hangs if asked. */
const FIXTURE = join(dir, 'probe.test.mjs');
writeFileSync(
  FIXTURE,
  `import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
const ping = (url) => new Promise((resolve) => {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname, () => socket.write('PING\\r\\n'));
  socket.once('data', (d) => { socket.destroy(); resolve(String(d).startsWith('+PONG')); });
  socket.once('error', () => resolve(false));
});
test('probe', async () => {
  const url = process.env.REDIS_URL;
  writeFileSync(process.env.PROBE_FILE, JSON.stringify({ url, pong: url ? await ping(url) : false }));
  if (process.env.PROBE_MODE === 'fail') throw new Error('failing on purpose');
  if (process.env.PROBE_MODE === 'hang') await new Promise((resolve) => setTimeout(resolve, 120_000));
});
`,
);

interface Run {
  code: number | null;
  stderr: string;
  probe: { url: string; pong: boolean };
}

let runs = 0;

/** Runs the runner on the fixture; `whileRunning` gets the child once the fixture has written its probe. */
async function runRunner(env: Record<string, string | undefined>, mode = 'pass', whileRunning?: (kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  const probeFile = join(dir, `probe-${++runs}.json`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PROBE_FILE: probeFile, PROBE_MODE: mode };
  delete childEnv.REDIS_URL;
  // Set by the outer test runner: a node --test that sees it runs no files.
  delete childEnv.NODE_TEST_CONTEXT;
  for (const [name, value] of Object.entries(env)) childEnv[name] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/support/run-tests.ts'), FIXTURE], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (whileRunning) {
    const deadline = Date.now() + 60_000;
    while (!existsSync(probeFile) && Date.now() < deadline) await sleep(100);
    whileRunning((signal) => child.kill(signal));
  }
  const code = await exited;
  return { code, stderr, probe: JSON.parse(readFileSync(probeFile, 'utf8')) };
}

/** Whether anything accepts connections on the URL's port. */
function listening(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (url: string) => Number(new URL(url).port);

test('without REDIS_URL the tests get a private redis-server on a free port, stopped after they pass', async () => {
  const run = await runRunner({});
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.probe.pong, true, 'the tests could reach the Redis they were given');
  assert.notEqual(portOf(run.probe.url), 6379);
  assert.match(run.stderr, new RegExp(`started redis-server for the tests at ${run.probe.url.replace(/[.]/g, '\\.')}`));
  assert.equal(await listening(run.probe.url), false, 'the private redis-server is gone');
});

test('the private redis-server is stopped when the tests fail, and the failure is the exit code', async () => {
  const run = await runRunner({}, 'fail');
  assert.equal(run.code, 1);
  assert.equal(run.probe.pong, true);
  assert.equal(await listening(run.probe.url), false);
});

test('SIGTERM stops the tests and the private redis-server, exit 143', async () => {
  const run = await runRunner({}, 'hang', (kill) => kill('SIGTERM'));
  assert.equal(run.code, 143, run.stderr);
  assert.equal(run.probe.pong, true);
  assert.equal(await listening(run.probe.url), false);
});

test('a given REDIS_URL reaches the tests as it is, and no server is started', async () => {
  const run = await runRunner({ REDIS_URL: TEST_REDIS_URL });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.probe.url, TEST_REDIS_URL);
  assert.equal(run.probe.pong, true);
  assert.match(run.stderr, /using REDIS_URL/);
  assert.doesNotMatch(run.stderr, /started redis-server/);
});
