// The collection lease on real Redis: which holds exclude each other, an exclusive hold waiting for
// the writes in progress, a killed holder's hold lapsing, and a Redis that restarts empty (a hold
// taken back at the next renewal, or reported lost when someone conflicting took the collection
// in the gap). Restarts use a private redis-server; the shared one is never stopped.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CollectionLeases, claimCollection, holdCollection, LEASE_TTL_MS, type LeasePlace } from '../../src/queue/collection-lease.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { deleteRedisKeys, TEST_REDIS_URL } from '../support/isolated-env.ts';
import { privateRedis } from '../support/private-redis.ts';

const prefix = `test-lease-${process.pid}-${Date.now().toString(36)}`;
const shared = redisOptionsFromUrl(TEST_REDIS_URL);
const place: LeasePlace = { connection: shared, prefix, storeId: 'local:test:/data' };
after(() => deleteRedisKeys(`${prefix}:*`));

const busy = (what: RegExp) => (err: unknown) => {
  assert.equal((err as { code?: string }).code, 'COLLECTION_BUSY');
  assert.match((err as Error).message, what);
  return true;
};

test('runs share a collection; an exclusive hold is refused while a run holds it, and runs are refused while it is held', async () => {
  const first = await claimCollection(place, 'a', 'run', 'r1', 'an ingest');
  const second = await claimCollection(place, 'a', 'run', 'r2', 'an ingest');
  await assert.rejects(claimCollection(place, 'a', 'exclusive', 'x1', 'a reindex'), busy(/^"a" is busy: an ingest \(pid \d+ on .+\); run this again once it has finished/));
  await first.release();
  await second.release();
  const reindex = await claimCollection(place, 'a', 'exclusive', 'x1', 'a reindex');
  await assert.rejects(claimCollection(place, 'a', 'run', 'r3', 'an ingest'), busy(/busy: a reindex/));
  await assert.rejects(claimCollection(place, 'a', 'exclusive', 'x2', 'a migrate'), busy(/busy: a reindex/));
  // Another collection is another lease.
  await (await claimCollection(place, 'b', 'run', 'r4', 'an ingest')).release();
  await reindex.release();
});

test('an exclusive hold waits for the writes in progress and refuses new ones meanwhile', async () => {
  const leases = new CollectionLeases(shared, prefix);
  try {
    assert.equal((await leases.take(place.storeId, 'w', 'write', 'job-1', 'a worker')).state, 'held');
    let held = false;
    const exclusive = claimCollection(place, 'w', 'exclusive', 'x', 'a reindex').then((hold) => ((held = true), hold));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(held, false, 'waits while a write is in progress');
    assert.equal((await leases.take(place.storeId, 'w', 'write', 'job-2', 'a worker')).state, 'busy', 'no new write starts');
    await leases.release(place.storeId, 'w', 'write', 'job-1');
    const hold = await exclusive;
    assert.equal(held, true);
    await hold.release();
    assert.equal((await leases.take(place.storeId, 'w', 'write', 'job-2', 'a worker')).state, 'held');
    await leases.release(place.storeId, 'w', 'write', 'job-2');
  } finally {
    await leases.close();
  }
});

test("a killed holder's hold lapses by itself", { timeout: 60_000 }, async () => {
  // A holder that never renews nor releases: what a kill -9 leaves.
  const leases = new CollectionLeases(shared, prefix);
  try {
    assert.equal((await leases.take(place.storeId, 'k', 'exclusive', 'dead', 'a migrate')).state, 'held');
    await assert.rejects(claimCollection(place, 'k', 'run', 'r', 'an ingest'), busy(/busy: a migrate/));
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 500));
    await (await claimCollection(place, 'k', 'run', 'r', 'an ingest')).release();
  } finally {
    await leases.close();
  }
});

test('a Redis that restarts empty: a hold is taken back at its next renewal, or reported lost if a conflicting holder or a write came first', { timeout: 120_000 }, async () => {
  const redis = await privateRedis();
  await redis.start();
  const own: LeasePlace = { connection: redisOptionsFromUrl(redis.url), prefix, storeId: 'local:test:/data' };
  const kept = await claimCollection(own, 'kept', 'exclusive', 'x1', 'a reindex');
  const taken = await claimCollection(own, 'taken', 'exclusive', 'x2', 'a reindex');
  const written = await claimCollection(own, 'written', 'exclusive', 'x3', 'a reindex');
  const other = new CollectionLeases(own.connection, prefix);
  try {
    await redis.crash();
    await redis.start();
    // In the gap, an ingest takes one of the two collections (the reindex's hold is forgotten).
    const ingest = await holdCollection(other, own.storeId, 'taken', 'run', 'r', 'an ingest');
    // And a worker starts writing into another (its copy may miss that write).
    assert.equal((await other.take(own.storeId, 'written', 'write', 'job', 'a worker')).state, 'held');
    await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS / 3 + 2000));
    assert.equal(kept.lost, undefined);
    await assert.rejects(claimCollection(own, 'kept', 'run', 'r2', 'an ingest'), busy(/busy: a reindex/), 'the hold was taken back');
    assert.match(taken.lost ?? '', /^an ingest took "taken" while this hold was lapsed/);
    assert.match(written.lost ?? '', /^a worker wrote to "written" while this hold was lapsed/);
    await ingest.release();
  } finally {
    await written.release();
    await kept.release();
    await taken.release();
    await other.close();
    await redis.crash();
  }
});
