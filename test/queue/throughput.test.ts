// `status`'s jobs/min: from what BullMQ records for completed jobs. Unit cases walk through the
// shapes BullMQ's collectMetrics.lua leaves behind; the last test completes real jobs on real Redis
// and reads the figure through `embedline status --json` (which said 0 before: the latest minute
// is only in BullMQ's meta counters until a job completes in a later minute).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { MetricsTime, Worker } from 'bullmq';
import { EMBED_JOB, EMBED_QUEUE, type EmbedJobData } from '../../src/queue/embed-job.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { jobsPerMinute } from '../../src/queue/throughput.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const MIN = 60_000;
const t0 = 1_000_000 * MIN; // the start of some clock minute

test('nothing ever completed: 0', () => {
  assert.equal(jobsPerMinute({ meta: { count: 0, prevTS: 0, prevCount: 0 }, data: [] }, t0, 5), 0);
});

test('jobs completed this minute, none since: counted (from the meta counters)', () => {
  // 12 completions, the first at t0 + 5 s; BullMQ has written nothing to the list yet.
  const metrics = { meta: { count: 12, prevTS: t0 + 5000, prevCount: 0 }, data: [] };
  assert.equal(jobsPerMinute(metrics, t0 + 50_000, 5), 12 / 5);
  // Three minutes later they are still in the window; seven minutes later they are not.
  assert.equal(jobsPerMinute(metrics, t0 + 3 * MIN, 5), 12 / 5);
  assert.equal(jobsPerMinute(metrics, t0 + 7 * MIN, 5), 0);
});

test('older minutes come from the list, newest first, and stop at the window', () => {
  // Latest minute (t0 + 6 min) holds 4; the list holds minutes t0+5 (10), t0+4 (0), t0+3 (7), t0+2 (9), t0+1 (30).
  const metrics = { meta: { count: 100, prevTS: t0 + 6 * MIN + 1000, prevCount: 96 }, data: [10, 0, 7, 9, 30] };
  // Window of 5 minutes ending in minute t0+6: minutes t0+2 … t0+6 → 9 + 7 + 0 + 10 + 4 = 30.
  assert.equal(jobsPerMinute(metrics, t0 + 6 * MIN + 30_000, 5), 30 / 5);
  // A minute later the window is t0+3 … t0+7: 7 + 0 + 10 + 4 = 21.
  assert.equal(jobsPerMinute(metrics, t0 + 7 * MIN + 30_000, 5), 21 / 5);
});

const iso = isolatedEnv('throughput');
const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
after(async () => {
  await queue.close();
  await iso.cleanup();
});

test('status reports the jobs a worker completed a moment ago', async () => {
  // A worker with metrics on, as `embedline worker` runs, whose work is trivially quick.
  const worker = new Worker(EMBED_QUEUE, async () => ({ chunks: 0 }), {
    connection: redisOptionsFromUrl(iso.env.REDIS_URL!),
    prefix: iso.prefix,
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  try {
    const done = new Promise<void>((resolve) => {
      let n = 0;
      worker.on('completed', () => ++n === 3 && resolve());
    });
    for (let i = 0; i < 3; i++) await queue.queue.add(EMBED_JOB, { collection: `c${i}` } as EmbedJobData);
    await done;
  } finally {
    await worker.close();
  }
  assert.equal(await queue.throughputPerMinute(5), 3 / 5);
  const result = await runCli(['status', '--json'], { env: iso.env, timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.queue.completed, 3);
  assert.equal(report.queue.jobsPerMinute, 0.6);
});
