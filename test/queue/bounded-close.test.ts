// BullMQ objects closed while Redis is away. A QueueEvents closed between two reconnect attempts
// never finished closing, even after Redis came back: an ingest that had finished its work hung in
// its clean-up until killed (CI, lost-queue-state test). closeWithin must end within its grace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueueEvents } from 'bullmq';
import { EMBED_QUEUE } from '../../src/queue/embed-job.ts';
import { closeWithin } from '../../src/queue/bounded-close.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { privateRedis } from '../support/private-redis.ts';

test('an event reader closed while Redis is down is let go within the grace, and Redis returning changes nothing', { timeout: 30_000 }, async () => {
  const redis = await privateRedis();
  await redis.start();
  const events = new QueueEvents(EMBED_QUEUE, { connection: redisOptionsFromUrl(redis.url), prefix: `bounded-close-${process.pid}` });
  events.on('error', () => undefined);
  try {
    await events.waitUntilReady();
    await redis.crash();
    // Once the reader has noticed (it is then between reconnect attempts), close it; Redis returns meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const back = new Promise((resolve) => setTimeout(resolve, 1500)).then(() => redis.start());
    const started = Date.now();
    await closeWithin(events, 3000);
    const tookMs = Date.now() - started;
    await back;
    // BullMQ's own close() would still be waiting here, after Redis came back; the grace ends it.
    assert.ok(tookMs < 5000, `closeWithin took ${tookMs} ms`);
    console.log(`# closeWithin returned after ${tookMs} ms`);
  } finally {
    await redis.crash();
  }
});
