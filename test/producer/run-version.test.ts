// A run's write version: distinct for runs that start together, and still above everything the
// store holds when Redis has forgotten the counter (restarted empty, flushed; here: a new prefix).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { takeWriteVersion } from '../../src/producer/run-version.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { deleteRedisKeys, isolatedEnv } from '../support/isolated-env.ts';
import { testPoint, testSpec } from '../store/store-fixtures.ts';

const iso = isolatedEnv('run-version');
after(() => iso.cleanup());

test('run numbers: distinct when taken at once, above the store after Redis forgot the counter', async () => {
  const store = openLocalStore(iso.dataDir);
  const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
  try {
    assert.equal(await takeWriteVersion(store, queue, 'docs'), 1, 'no collection yet: the first run is 1');
    const together = await Promise.all(Array.from({ length: 8 }, () => takeWriteVersion(store, queue, 'docs')));
    assert.equal(new Set(together).size, 8, `eight runs at once, eight numbers: ${together.join(',')}`);
    assert.ok(Math.min(...together) > 1);

    await store.ensureCollection('docs', testSpec(4));
    await store.upsert('docs', [testPoint('docs', 'a', 0, [1, 0, 0, 0], { version: 40 })]);
    await deleteRedisKeys(`${iso.prefix}:*`); // Redis restarted empty
    assert.equal(await takeWriteVersion(store, queue, 'docs'), 41, 'the counter restarts above the newest version stored');
    assert.equal(await takeWriteVersion(store, queue, 'docs'), 42);
  } finally {
    await queue.close();
    await store.close();
  }
});
