// Stopping a worker (src/worker/worker-close.ts) on a real Redis of the test's own. A worker told to
// stop a moment after Redis restarted never stopped: its close() met the blocking connection between
// reconnect attempts and waited forever (CI: `embedline worker` ignored SIGTERM after a Redis
// restart). And the safety net that cuts a stuck close off must never cut off a job still at work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { ProcessorActivity } from '../../src/worker/processor-activity.ts';
import { closeWorker } from '../../src/worker/worker-close.ts';
import { privateRedis, type PrivateRedis } from '../support/private-redis.ts';

const QUEUE = 'close-test';

async function withWorker(processor: () => Promise<unknown>, fn: (worker: Worker, activity: ProcessorActivity, redis: PrivateRedis, queue: Queue) => Promise<void>): Promise<void> {
  const redis = await privateRedis();
  await redis.start();
  const connection = redisOptionsFromUrl(redis.url);
  const activity = new ProcessorActivity();
  const worker = new Worker(QUEUE, activity.track(processor), { connection, prefix: 'wc' });
  worker.on('error', () => undefined);
  const queue = new Queue(QUEUE, { connection, prefix: 'wc' });
  queue.on('error', () => undefined);
  try {
    await worker.waitUntilReady();
    await fn(worker, activity, redis, queue);
  } finally {
    await queue.close();
    await redis.crash();
  }
}

test('a worker stopped right after Redis restarted closes properly, not cut off', { timeout: 60_000 }, async () => {
  await withWorker(async () => 1, async (worker, activity, redis) => {
    await redis.crash();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await redis.start();
    const started = Date.now();
    const outcome = await closeWorker(worker, activity, 5000);
    assert.equal(outcome, 'closed');
    assert.ok(Date.now() - started < 5000, `close took ${Date.now() - started} ms`);
  });
});

test('a job at work when the stop comes is waited for, however long past the grace, and acknowledged', { timeout: 60_000 }, async () => {
  let started!: () => void;
  const jobStarted = new Promise<void>((resolve) => (started = resolve));
  await withWorker(
    async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      return 'done';
    },
    async (worker, activity, _redis, queue) => {
      const job = await queue.add('slow', {});
      await jobStarted;
      const t0 = Date.now();
      assert.equal(await closeWorker(worker, activity, 300), 'closed');
      assert.ok(Date.now() - t0 >= 2000, 'close waited for the job');
      assert.equal(await queue.getJobState(job.id!), 'completed');
    },
  );
});
