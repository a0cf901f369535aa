// Zero-downtime re-embedding on the embedded store: a new version is built from the stored chunk
// texts while searches keep answering from the old one, then the name switches in one step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { SearchService } from '../../src/search/search-service.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('reindex');
after(() => iso.cleanup());

const topics = ['volcanoes erupt molten rock', 'bakers knead bread dough', 'comets orbit the sun', 'violins have four strings'];

before(async () => {
  const csv = join(iso.dir, 'r.csv');
  const rows = Array.from({ length: 300 }, (_, i) => `r${i},"Note ${i}: ${topics[i % topics.length]}, item ${i}."`);
  writeFileSync(csv, ['id,body', ...rows].join('\n') + '\n');
  const r = await runCli(['ingest', csv, '--collection', 'notes', '--text-column', 'body', '--id-column', 'id', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
});

test('reindex to another pooling: searches answer throughout, then read the new version; the old one is dropped after the grace period', async () => {
  const store = openLocalStore(iso.dataDir);
  const search = new SearchService(store, new CollectionModels(MODEL_DIR));
  const before = await store.describe('notes');
  assert.equal(before?.version, 'notes__v1');
  assert.equal(before?.spec.pooling, 'mean');

  const reindex = startCli(['reindex', '--collection', 'notes', '--pooling', 'cls', '--grace-seconds', '2', '--json'], { env: iso.env, ready: /reindex\.progress/ });
  await reindex.ready;
  // While the new version is being built and during the grace period, every query is answered.
  let answered = 0;
  let exited = false;
  void reindex.exited.then(() => (exited = true));
  while (!exited) {
    const { hits } = await search.search('notes', 'which instrument has strings', { k: 3 });
    assert.equal(hits.length, 3);
    assert.match(hits[0].text, /violins/);
    answered++;
  }
  assert.equal(await reindex.exited, 0, reindex.output().stderr);
  assert.ok(answered > 3, `${answered} searches answered during the reindex`);

  const result = JSON.parse(reindex.output().stdout);
  assert.deepEqual({ version: result.version, previous: result.previous, chunks: result.chunks, dropped: result.droppedPrevious }, { version: 'notes__v2', previous: 'notes__v1', chunks: 300, dropped: true });
  const after = await store.describe('notes');
  assert.deepEqual({ version: after?.version, pooling: after?.spec.pooling, points: after?.points }, { version: 'notes__v2', pooling: 'cls', points: 300 });
  assert.deepEqual(await store.versions('notes'), ['notes__v2']);
  const { hits } = await search.search('notes', 'which instrument has strings', { k: 1 });
  assert.match(hits[0].text, /violins/);
  await store.close();
});

test('an ingest after the reindex uses the new version and finds every document unchanged', async () => {
  const csv = join(iso.dir, 'r.csv');
  const r = await runCli(['ingest', csv, '--collection', 'notes', '--text-column', 'body', '--id-column', 'id', '--pooling', 'cls', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.deepEqual({ unchanged: summary.unchanged, chunks: summary.chunks }, { unchanged: 300, chunks: 0 });
});

test('reindex of an unknown collection is a clear error', async () => {
  const r = await runCli(['reindex', '--collection', 'nothing-here'], { env: iso.env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /collection "nothing-here" does not exist/);
});
