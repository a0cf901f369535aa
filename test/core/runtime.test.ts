// openRuntime (core/runtime.ts), the one way the CLI, `migrate` and the library open what they run
// with: the configured store and its place, a store of another kind, a store handed in (kept open,
// keeping the id it was opened with), the queue on the named Redis, and close() closing only what
// the runtime opened. Also the run defaults (core/run-plans.ts), filled in once for every caller.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { INGEST_DEFAULTS, ingestPlan, REINDEX_DEFAULTS, reindexPlan } from '../../src/core/run-plans.ts';
import { openRuntime } from '../../src/core/runtime.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { rejectsWithCode, testPoint, testSpec } from '../store/store-fixtures.ts';

const iso = isolatedEnv('runtime');
after(() => iso.cleanup());

test('the configured store opens on first use with its place; close() closes it and the queue', async () => {
  const runtime = openRuntime(loadConfig(iso.env));
  assert.deepEqual(runtime.place, { kind: 'local', where: iso.dataDir, id: `local:${hostname()}:${iso.dataDir}` });
  assert.equal(runtime.config.storeId, runtime.place.id, 'the config carries the id in force');
  assert.equal(runtime.config.queuePrefix, iso.prefix);
  assert.equal(runtime.model.hub.offline, false);
  const store = runtime.store();
  assert.equal(runtime.store(), store, 'opened once');
  await store.ensureCollection('rt', testSpec(2));
  await store.upsert('rt', [testPoint('rt', 'a', 0, [1, 0])]);
  const queue = runtime.queue();
  assert.equal(typeof (await queue.counts()).waiting, 'number', 'the queue reaches REDIS_URL');
  await runtime.close();
  await rejectsWithCode(store.count('rt'), 'STORE_UNAVAILABLE');
});

test('a store handed in is used as it is, keeps the id it was opened with, and stays open', async () => {
  const other = join(iso.dir, 'other');
  const opener = openRuntime(loadConfig({ ...iso.env, EMBEDLINE_DATA: other }));
  const given = opener.store();
  const runtime = openRuntime(loadConfig(iso.env), { store: given, queuePrefix: `${iso.prefix}-b` });
  assert.equal(runtime.store(), given);
  assert.equal(runtime.config.storeId, `local:${hostname()}:${other}`);
  assert.equal(runtime.config.queuePrefix, `${iso.prefix}-b`);
  await runtime.close();
  await given.ensureCollection('still-open', testSpec(2));
  assert.equal(await given.count('still-open'), 0);
  await opener.close();
});

test('settings instead of the configuration, and a store of another kind with its own place', async () => {
  const elsewhere = join(iso.dir, 'elsewhere');
  const runtime = openRuntime(loadConfig({ ...iso.env, EMBEDLINE_STORE_ID: 'fleet-store' }), { store: { dataDir: elsewhere } });
  assert.deepEqual(runtime.place, { kind: 'local', where: elsewhere, id: 'fleet-store' });
  assert.throws(() => runtime.storeOfKind('qdrant'), /QDRANT_URL is not set/);
  const withQdrant = openRuntime(loadConfig({ ...iso.env, QDRANT_URL: 'http://127.0.0.1:1', EMBEDLINE_STORE_ID: 'fleet-store' }));
  assert.equal(withQdrant.place.kind, 'qdrant');
  const local = withQdrant.storeOfKind('local');
  assert.deepEqual(local.place, { kind: 'local', where: iso.dataDir, id: `local:${hostname()}:${iso.dataDir}` });
  await local.store.ensureCollection('side', testSpec(2));
  await withQdrant.close();
  await rejectsWithCode(local.store.count('side'), 'STORE_UNAVAILABLE');
  await runtime.close();
});

test('run defaults are filled in once; what a caller gives wins, undefined does not', () => {
  const model = { hub: loadConfig(iso.env).hub };
  const plan = ingestPlan({ source: 's.csv', sourceOptions: {}, collection: 'c', model, workers: 0, wait: undefined });
  assert.equal(plan.workers, 0);
  assert.equal(plan.wait, INGEST_DEFAULTS.wait);
  assert.equal(plan.concurrency, 4);
  assert.equal(plan.normalize, true);
  assert.equal(plan.bulkLoad, false);
  const reindex = reindexPlan({ collection: 'c', model, normalize: false });
  assert.equal(reindex.graceMs, REINDEX_DEFAULTS.graceMs);
  assert.equal(reindex.normalize, false);
});
