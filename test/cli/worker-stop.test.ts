// Stopping `embedline worker` off the happy path: with its Redis already gone (it must not wait forever to
// hand back jobs), a moment after its Redis restarted, and through `npx embedline worker`, where npm does not
// pass SIGTERM on to the node process (before, the worker kept running and taking jobs after npm had gone).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { privateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { PROJECT_ROOT, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('worker-stop');
after(() => iso.cleanup());

const READY = /"event":"worker\.ready"/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/**
 * A worker on a Redis of the test's own (the shared one must never be stopped), whose Redis is
 * killed; `outage` then decides what happens to Redis (left down, or started again) before SIGTERM.
 * Resolves with the worker's exit code (or 'still running' after 30 s), the time it took, and its stderr.
 */
async function stopAfterRedisCrash(outage: (redis: PrivateRedis) => Promise<void>) {
  const redis = await privateRedis();
  await redis.start();
  const worker = startCli(['worker'], { env: { ...iso.env, REDIS_URL: redis.url }, ready: READY });
  try {
    await worker.ready;
    await redis.crash();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await outage(redis);
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    const exited = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    return { exited, tookMs: Date.now() - signalled, stderr: worker.output().stderr, url: redis.url };
  } finally {
    worker.child.kill('SIGKILL');
    await redis.crash();
  }
}

test('a worker whose Redis went away logs it once, and exits soon after SIGTERM with one line', async () => {
  const { exited, tookMs, stderr, url } = await stopAfterRedisCrash(async () => {});
  assert.equal(exited, 1, stderr);
  // The issue asks for 5 s; the bound is looser for a loaded test machine, the figure is printed.
  assert.ok(tookMs < 10_000, `exit took ${tookMs} ms`);
  console.log(`# worker exited ${tookMs} ms after SIGTERM with Redis down`);
  const errorLines = stderr.split('\n').filter((line) => line.startsWith('error:'));
  assert.equal(errorLines.length, 1, stderr);
  assert.match(errorLines[0], new RegExp(`Redis at ${url} does not answer`));
  // Seconds of reconnect attempts (several a second) are logged once per distinct error.
  const errorLogs = stderr.split('\n').filter((line) => line.includes('"event":"worker.error"'));
  assert.ok(errorLogs.length >= 1 && errorLogs.length <= 3, `Redis errors are logged once, not per reconnect attempt:\n${stderr}`);
  assert.doesNotMatch(stderr, /"event":"job.failed"/, 'no job failed');
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
});

test('a worker told to stop a moment after its Redis restarted exits 0 in seconds', async () => {
  // It used to ignore SIGTERM for good: BullMQ's close met a connection between reconnect attempts.
  const { exited, tookMs, stderr } = await stopAfterRedisCrash((redis) => redis.start());
  assert.equal(exited, 0, stderr);
  assert.ok(tookMs < 15_000, `exit took ${tookMs} ms`);
  assert.match(stderr, /"event":"worker\.stopped"/);
  assert.doesNotMatch(stderr, /close-cut-off/, 'closed properly, not cut off');
});

test('SIGTERM to `npx embedline worker` stops the node worker too, gracefully', async () => {
  const npx = spawn('npx', ['--no-install', 'embedline', 'worker'], { cwd: PROJECT_ROOT, env: { ...process.env, ...iso.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  npx.stderr!.on('data', (d) => (stderr += d));
  let workerPid = 0;
  try {
    assert.ok(await waitUntil(() => READY.test(stderr), 120_000), `not ready:\n${stderr}`);
    workerPid = JSON.parse(stderr.split('\n').find((line) => READY.test(line))!).pid;
    assert.notEqual(workerPid, npx.pid, 'npx runs the worker as a separate process');
    npx.kill('SIGTERM');
    assert.ok(await waitUntil(() => !isAlive(workerPid), 20_000), 'the node worker outlived npm');
    assert.match(stderr, /"event":"worker\.stopping","signal":"parent-exit"/);
    assert.match(stderr, /"event":"worker\.stopped"/);
  } finally {
    npx.kill('SIGKILL');
    if (workerPid && isAlive(workerPid)) process.kill(workerPid, 'SIGKILL');
  }
});

test('the bin run directly (the form for supervisors) is the worker process itself', async () => {
  const worker = spawn(`${PROJECT_ROOT}/bin/embedline.js`, ['worker'], { cwd: PROJECT_ROOT, env: { ...process.env, ...iso.env, npm_command: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  worker.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
  try {
    assert.ok(await waitUntil(() => READY.test(stderr), 120_000), `not ready:\n${stderr}`);
    assert.equal(JSON.parse(stderr.split('\n').find((line) => READY.test(line))!).pid, worker.pid);
    worker.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /"event":"worker\.stopping","signal":"SIGTERM"/);
  } finally {
    worker.kill('SIGKILL');
  }
});
