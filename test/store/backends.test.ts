// The store backends table (store/backends.ts): which store a configuration selects, the ids jobs
// carry (the same strings as before the table, so queued jobs and leases of running deployments
// still match), where a store is as commands print it, and — with a fake third entry in a table of
// the test's own, no global state touched — that kinds, choices and messages come from the table.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultSource } from '../../src/cli/migrate-run.ts';
import { chooseStore, configuredBackend, kindChoices, parseStoreKind, STORE_BACKENDS, type AnyBackend } from '../../src/store/backends.ts';
import { openStoreOfKind } from '../../src/store/open-store.ts';
import type { StoreBackend } from '../../src/store/store-backend.ts';
import { rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

function throwsCode(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (err: { code?: string; message?: string }) => err.code === code && message.test(err.message ?? ''));
}

test('the configuration selects Qdrant when its URL is set, else the embedded store; ids are the ones jobs carried before', () => {
  assert.deepEqual(
    STORE_BACKENDS.map((backend) => backend.kind),
    ['qdrant', 'local'],
  );
  const local = chooseStore({ dataDir: '/srv/embedline-data' });
  assert.deepEqual(local.place, { kind: 'local', where: '/srv/embedline-data', id: `local:${hostname()}:/srv/embedline-data` });
  const qdrant = chooseStore({ dataDir: '/srv/embedline-data', qdrantUrl: 'https://admin:pw@qdrant.example:6333/base', qdrantApiKey: 'k' });
  assert.deepEqual(qdrant.place, { kind: 'qdrant', where: 'https://qdrant.example:6333/base', id: 'qdrant:https://qdrant.example:6333' });
  assert.doesNotMatch(JSON.stringify(qdrant.place), /pw|admin/, 'no credential in where or id');
  // A relative folder is the same store as its absolute path (workers started elsewhere agree).
  assert.equal(chooseStore({ dataDir: 'rel-data' }).place.where, join(process.cwd(), 'rel-data'));
});

test('EMBEDLINE_STORE_ID names the configured store only; a store of another kind keeps its own identity', () => {
  const config = { dataDir: '/d', qdrantUrl: 'http://q:6333', storeId: 'shared-store' };
  assert.equal(chooseStore(config).place.id, 'shared-store');
  assert.equal(chooseStore(config, 'qdrant').place.id, 'shared-store');
  assert.equal(chooseStore(config, 'local').place.id, `local:${hostname()}:/d`);
  throwsCode(() => chooseStore({ dataDir: '/d' }, 'qdrant'), 'CONFIG_INVALID', /^QDRANT_URL is not set: it says which Qdrant server to use$/);
});

test('kind flags: choices and refusals list the kinds of the table', () => {
  assert.equal(kindChoices(), 'qdrant | local');
  assert.equal(parseStoreKind('local', '--to'), 'local');
  throwsCode(() => parseStoreKind('mongo', '--to'), 'CONFIG_INVALID', /^--to must be qdrant or local, got "mongo"$/);
  // --from by default: the configured store unless it is --to, else the other one.
  assert.equal(defaultSource('qdrant', { dataDir: '/d' }), 'local');
  assert.equal(defaultSource('local', { dataDir: '/d', qdrantUrl: 'http://q:6333' }), 'qdrant');
  assert.equal(defaultSource('local', { dataDir: '/d' }), 'qdrant');
});

test('a third backend is one more table entry: selection, choices, messages and ids follow it', async () => {
  const opened: string[] = [];
  const memory: StoreBackend<'memory', { memoryName?: string }, { name: string }> = {
    kind: 'memory',
    about: 'an in-memory store (MEMORY_NAME)',
    missing: 'MEMORY_NAME is not set',
    fromConfig: ({ memoryName }) => (memoryName ? { name: memoryName } : undefined),
    identity: ({ name }) => name,
    where: ({ name }) => `memory://${name}`,
    open: ({ name }) => {
      opened.push(name);
      return openStoreOfKind('local', { dataDir: join(scratch, name) });
    },
  };
  const table: readonly AnyBackend[] = [memory, ...STORE_BACKENDS];
  const scratch = mkdtempSync(join(tmpdir(), 'embedline-backends-'));
  try {
    assert.equal(kindChoices(table), 'memory | qdrant | local');
    throwsCode(() => parseStoreKind('mongo', '--from', table), 'CONFIG_INVALID', /^--from must be memory, qdrant or local, got "mongo"$/);
    assert.equal(parseStoreKind('memory', '--from', table), 'memory');
    assert.equal(configuredBackend({ dataDir: '/d' }, table).kind, 'local');
    assert.equal(configuredBackend({ dataDir: '/d', memoryName: 'm1' } as never, table).kind, 'memory', 'first entry set up wins');
    throwsCode(() => chooseStore({ dataDir: '/d' }, 'memory', table), 'CONFIG_INVALID', /^MEMORY_NAME is not set$/);
    assert.equal(defaultSource('local', { dataDir: '/d', memoryName: 'm1' } as never, table), 'memory');
    assert.equal(defaultSource('memory', { dataDir: '/d' } as never, table), 'local');

    const chosen = chooseStore({ dataDir: '/d', memoryName: 'm1' } as never, undefined, table);
    assert.deepEqual(chosen.place, { kind: 'memory', where: 'memory://m1', id: 'memory:m1' });
    assert.deepEqual(opened, [], 'choosing opens nothing');
    const store = chosen.open();
    await store.ensureCollection('c', testSpec(2));
    await store.upsert('c', [testPoint('c', 'a', 0, [1, 0])]);
    assert.equal(await store.count('c'), 1);
    await store.close();
    assert.deepEqual(opened, ['m1']);
    await rejectsWithCode(store.count('c'), 'STORE_UNAVAILABLE');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
