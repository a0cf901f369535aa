// External workers: a producer that only queues, workers in other processes, a worker killed with
// SIGKILL mid-run whose jobs come back after the stall interval, graceful SIGTERM, and the
// dead-letter path (failed jobs listed, then retried).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { runCli, startCli as startCliProcess } from '../support/run-cli.ts';

const iso = isolatedEnv('workers');
// Read queue counts in-process: fast enough to catch a job while it is active.
const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
// Every worker process started here is stopped at the end, even when a test fails midway, so one
// failure cannot leave a worker running that takes the next test's jobs.
const started: Array<ReturnType<typeof startCliProcess>> = [];
function startCli(...args: Parameters<typeof startCliProcess>) {
  const proc = startCliProcess(...args);
  started.push(proc);
  return proc;
}
after(async () => {
  for (const proc of started) proc.child.kill('SIGKILL');
  await queue.close();
  await iso.cleanup();
});

// Short locks so a killed worker's jobs return within seconds.
const workerEnv = { ...iso.env, EMBEDLINE_LOCK_DURATION_MS: '4000', EMBEDLINE_STALLED_INTERVAL_MS: '2000' };

/** N one-chunk documents: the expected point count is exactly N. */
function writeCorpus(name: string, n: number): string {
  const path = join(iso.dir, name);
  const topics = ['rivers', 'mountains', 'bread', 'engines', 'planets', 'violins', 'forests', 'markets'];
  const lines = ['id,body'];
  for (let i = 0; i < n; i++) lines.push(`d${i},"Document ${i} is a short note about ${topics[i % topics.length]} and item number ${i * 7}."`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function pointCount(collection: string): Promise<number> {
  const r = await runCli(['collections', '--json'], { env: iso.env });
  const found = (JSON.parse(r.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === collection);
  return found?.points ?? 0;
}

function queueCounts() {
  return queue.counts();
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('kill -9 of a worker mid-run: its jobs are redone after the stall interval, point count exact', async () => {
  const n = 640; // 12 jobs: 16 and 32 chunks (the first jobs are smaller), 9 of 64, the last 16
  const csv = writeCorpus('kill.csv', n);
  const queued = await runCli(['ingest', csv, '--collection', 'kill', '--text-column', 'body', '--id-column', 'id', '--workers', '0', '--no-wait', '--json'], { env: iso.env });
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal(JSON.parse(queued.stdout).jobs, 12);

  const victim = startCli(['worker', '--concurrency', '2'], { env: workerEnv, ready: /worker\.ready/ });
  await victim.ready;
  await until('the first job to complete', async () => (await queueCounts()).completed >= 1);
  victim.child.kill('SIGKILL');
  await victim.exited;
  const partial = await pointCount('kill');
  assert.ok(partial > 0 && partial < n, `killed mid-run with ${partial} of ${n} points written`);

  const rescuer = startCli(['worker', '--concurrency', '2'], { env: workerEnv, ready: /worker\.ready/ });
  await rescuer.ready;
  await until('every job to complete', async () => {
    const c = await queueCounts();
    return c.waiting + c.active + c.delayed === 0 && c.completed >= 10;
  });
  assert.equal(await pointCount('kill'), n, 'no lost and no duplicate points');
  rescuer.child.kill('SIGTERM');
  assert.equal(await rescuer.exited, 0, 'SIGTERM exits 0');
});

test('SIGTERM to a busy worker: its active jobs finish and are acknowledged, none stays active, exit 0', async () => {
  const csv = writeCorpus('term.csv', 1024); // 18 jobs: 16 and 32 chunks, 15 of 64, the last 16
  const before = await queueCounts(); // the file's earlier jobs stay in the completed list
  const queued = await runCli(['ingest', csv, '--collection', 'term', '--text-column', 'body', '--id-column', 'id', '--workers', '0', '--no-wait', '--json'], { env: iso.env });
  assert.equal(queued.code, 0, queued.stderr);
  const worker = startCli(['worker', '--concurrency', '4'], { env: workerEnv, ready: /worker\.ready/ });
  await worker.ready;
  await until('several jobs to be active at once', async () => (await queueCounts()).active >= 2, 30_000);
  worker.child.kill('SIGTERM');
  const code = await worker.exited;
  assert.equal(code, 0, `exit ${code} signal ${worker.child.signalCode}:\n${worker.output().stderr.slice(-3000)}`);
  const c = await queueCounts();
  const completed = c.completed - before.completed;
  assert.equal(c.active, 0, 'nothing left locked by the stopped worker');
  assert.equal(c.failed, before.failed, 'stopping is not a failure');
  assert.equal(completed + c.waiting + c.delayed, 18, 'every job either done or back in the queue');
  assert.ok(completed >= 2, `the jobs active at SIGTERM finished (${completed} completed)`);
  const acknowledged = (await queue.queue.getCompleted(0, -1)).filter((job) => job.data.collection === 'term');
  assert.equal(acknowledged.length, completed);
  const acknowledgedChunks = acknowledged.reduce((sum, job) => sum + (job.returnvalue as { chunks: number }).chunks, 0);
  assert.equal(await pointCount('term'), acknowledgedChunks, 'exactly the acknowledged jobs were written');
  await queue.queue.drain(); // the jobs never started are not this file's next test's business
});

test('SIGTERM while a worker is still starting stops it cleanly once it is up, exit 0', async () => {
  // 'worker.starting' is logged once the stop listeners exist; the model is not loaded yet.
  const worker = startCli(['worker'], { env: workerEnv, ready: /worker\.starting/ });
  await worker.ready;
  worker.child.kill('SIGTERM');
  const code = await worker.exited;
  const { stderr } = worker.output();
  assert.equal(code, 0, `exit ${code} signal ${worker.child.signalCode}:\n${stderr.slice(-3000)}`);
  assert.match(stderr, /"event":"worker\.stopping","signal":"SIGTERM"/);
  assert.match(stderr, /worker\.stopped/);
});

test('jobs a worker cannot do end in the failed set with their reason, and `jobs retry` re-runs them', async () => {
  const csv = writeCorpus('dead.csv', 70);
  const jobs = 3; // 16, 32 and 22 chunks: a run's first jobs are smaller
  // Queued for the int8 model of the default Hub id. A worker running the fp32 folder that cannot have the
  // collection's recorded model (offline, no local models folder, an empty cache) must refuse the jobs,
  // not embed them wrongly. (A worker that can have it embeds them with it: test/hub/stranger.test.ts.)
  const queued = await runCli(['ingest', csv, '--collection', 'dead', '--quantized', '--text-column', 'body', '--id-column', 'id', '--workers', '0', '--no-wait', '--json'], { env: iso.env });
  assert.equal(queued.code, 0, queued.stderr);
  const nowhere = join(iso.dir, 'no-models');
  mkdirSync(nowhere, { recursive: true });
  const cutOffEnv = { ...workerEnv, EMBEDLINE_MODEL: MODEL_DIR, EMBEDLINE_MODELS_DIR: nowhere, HF_HUB_CACHE: nowhere, HF_HUB_OFFLINE: '1' };
  const wrong = startCli(['worker'], { env: cutOffEnv, ready: /worker\.ready/ });
  await wrong.ready;
  await until('the jobs to fail', async () => (await queueCounts()).failed >= jobs, 60_000);
  wrong.child.kill('SIGTERM');
  await wrong.exited;

  const failed = await runCli(['jobs', 'failed', '--json'], { env: iso.env });
  const list = JSON.parse(failed.stdout).failed as Array<{ id: string; collection: string; reason: string; attempts: number }>;
  const ours = list.filter((f) => f.collection === 'dead');
  assert.equal(ours.length, jobs);
  for (const f of ours) assert.match(f.reason, /MODEL_NOT_FOUND: model sentence-transformers\/all-MiniLM-L6-v2 \(int8\) is not in the local models folders nor the Hugging Face cache .* HF_HUB_OFFLINE is set: run `embedline model fetch/);

  const retried = await runCli(['jobs', 'retry', '--json'], { env: iso.env });
  assert.equal(JSON.parse(retried.stdout).retried, jobs);
  const right = startCli(['worker', '--quantized'], { env: workerEnv, ready: /worker\.ready/ });
  await right.ready;
  await until('the retried jobs to complete', async () => (await pointCount('dead')) === 70, 60_000);
  right.child.kill('SIGTERM');
  assert.equal(await right.exited, 0);
  assert.equal((await queueCounts()).failed, 0);
});
