// The library API (src/index.ts) called in-process, as an application embedding embedline would:
// a model loaded and used directly, a CSV ingested with in-process workers on real Redis (isolated
// prefix) into the embedded store, searches, and the typed errors a bad call gets. Also the ingest
// run's failure code: jobs an external worker refuses make the run fail with the jobs' own code; and
// reindex() to another pooling.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbedlineError, ingest, loadEmbedder, openStore, reindex, search, type VectorStore } from '../../src/index.ts';
import { createEmbedWorker } from '../../src/worker/embed-worker.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';

const iso = isolatedEnv('library');
let store: VectorStore;
const csv = join(iso.dir, 'notes.csv');
const redisUrl = iso.env.REDIS_URL!;
/** Everything a call needs to stay inside this file's Redis prefix and data folder. */
const isolated = () => ({ store, redisUrl, queuePrefix: iso.prefix, rejectsPath: join(iso.dir, 'rejects.jsonl') });

before(() => {
  store = openStore({ dataDir: iso.dataDir });
  const rows = [
    ['n1', 'The sun fuses hydrogen into helium in its core.', 'astronomy'],
    ['n2', 'Sourdough rises because wild yeast ferments the dough.', 'cooking'],
    ['n3', 'Violins have four strings tuned in fifths.', 'music'],
    ['n4', 'Glaciers are slow rivers of ice that carve valleys.', 'geography'],
  ];
  writeFileSync(csv, ['id,body,topic', ...rows.map((r) => r.map((c) => `"${c}"`).join(','))].join('\n') + '\n');
});
after(async () => {
  await store.close();
  await iso.cleanup();
});

async function rejectsWithCode(work: Promise<unknown>, code: string, message?: RegExp): Promise<EmbedlineError> {
  const err = await work.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EmbedlineError, `an EmbedlineError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (message) assert.match(err.message, message);
  return err;
}

test('loadEmbedder(dir).embed(texts, {pooling}) returns one unit vector per text', async () => {
  const embedder = await loadEmbedder(MODEL_DIR);
  const { vectors } = await embedder.embed(['a star', 'a loaf of bread'], { pooling: 'cls' });
  assert.equal(vectors.length, 2);
  assert.equal(vectors[0].length, embedder.info.dims);
  assert.ok(Math.abs(Math.hypot(...vectors[0]) - 1) < 1e-4);
});

test('ingest() then search(): the right note first, filters apply, a re-run finds everything unchanged', async () => {
  const progress: number[] = [];
  const summary = await ingest(csv, {
    ...isolated(),
    collection: 'notes',
    textFields: ['body'],
    idField: 'id',
    metadataFields: ['topic'],
    onProgress: (p) => progress.push(p.chunksEmbedded),
  });
  assert.deepEqual({ added: summary.added, chunks: summary.chunks, lost: summary.lost, failedJobs: summary.failedJobs }, { added: 4, chunks: 4, lost: 0, failedJobs: 0 });
  assert.equal(summary.collectionInfo?.points, 4);
  assert.equal(progress.at(-1), 4, 'progress reached every chunk');

  const hits = await search('notes', 'which instrument has strings', { store, k: 2 });
  assert.equal(hits.length, 2);
  assert.equal(hits[0].documentId, 'n3');
  const loaded = await loadEmbedder(MODEL_DIR, { threads: 1 });
  assert.deepEqual(
    (await search('notes', 'which instrument has strings', { store, k: 2, model: loaded })).map((h) => h.documentId),
    hits.map((h) => h.documentId),
    'an embedder passed in embeds the query as the collection was built',
  );
  const filtered = await search('notes', 'energy', { store, filter: { topic: 'cooking' } });
  assert.deepEqual(filtered.map((h) => h.documentId), ["n2"]);

  const again = await ingest(csv, { ...isolated(), collection: 'notes', textFields: ['body'], idField: 'id', metadataFields: ['topic'] });
  assert.deepEqual({ unchanged: again.unchanged, chunks: again.chunks }, { unchanged: 4, chunks: 0 });
});

test('bad calls fail with the CLI\'s typed errors', async () => {
  await rejectsWithCode(search('no-such-collection', 'x', { store }), 'COLLECTION_MISSING', /"no-such-collection" does not exist/);
  await rejectsWithCode(search('notes', 'x', { store, k: 0 }), 'BAD_REQUEST', /k must be an integer from 1 to 1000/);
  await rejectsWithCode(ingest(join(iso.dir, 'missing.csv'), { ...isolated(), collection: 'x', textFields: ['body'] }), 'SOURCE_INVALID', /source not found/);
  await rejectsWithCode(ingest(csv, { ...isolated(), collection: 'x', textFields: ['content'] }), 'COLUMN_MISSING', /content/);
  await rejectsWithCode(ingest(csv, { ...isolated(), collection: 'x', textFields: ['body'], wait: false }), 'CONFIG_INVALID', /--no-wait \(wait: false\) only makes sense with --workers 0 \(workers: 0\)/);
  await rejectsWithCode(ingest(csv, { ...isolated(), collection: 'x', textFields: ['body'], redisUrl: 'redis://127.0.0.1:1' }), 'QUEUE_UNAVAILABLE');
  await rejectsWithCode(loadEmbedder(join(iso.dir, 'no-model')), 'MODEL_DIR_MISSING');
});

test('loadEmbedder() without a folder takes EMBEDLINE_MODEL, as the CLI does', async () => {
  const saved = process.env.EMBEDLINE_MODEL;
  process.env.EMBEDLINE_MODEL = join(iso.dir, 'model-from-env');
  try {
    await rejectsWithCode(loadEmbedder(), 'MODEL_DIR_MISSING', /model-from-env/);
  } finally {
    if (saved === undefined) delete process.env.EMBEDLINE_MODEL;
    else process.env.EMBEDLINE_MODEL = saved;
  }
});

test('jobs refused by the worker that takes them fail the run with the jobs\' own code, and the summary comes along', async () => {
  // Queued for the fp32 model; the only worker runs int8, so it refuses every job (COLLECTION_MISMATCH).
  const int8 = await testEmbedder({ quantized: true });
  const stranger = createEmbedWorker({ connection: redisOptionsFromUrl(redisUrl), prefix: iso.prefix, embedder: int8, store });
  try {
    const err = await rejectsWithCode(
      ingest(csv, { ...isolated(), collection: 'refused', textFields: ['body'], idField: 'id', workers: 0 }),
      'COLLECTION_MISMATCH',
      /1 job\(s\) failed for good and 4 document\(s\) are not in the store/,
    );
    const summary = err.details?.summary as { failedJobs: number; lost: number };
    assert.deepEqual({ failedJobs: summary.failedJobs, lost: summary.lost }, { failedJobs: 1, lost: 4 });
  } finally {
    await stranger.close();
  }
});

test('reindex() moves the collection to another pooling; searches follow the new version', async () => {
  const result = await reindex({ collection: 'notes', pooling: 'cls', graceMs: 0, store, model: MODEL_DIR, redisUrl, queuePrefix: iso.prefix });
  assert.deepEqual(
    { version: result.version, previous: result.previous, chunks: result.chunks, pooling: result.spec.pooling, dropped: result.droppedPrevious },
    { version: 'notes__v2', previous: 'notes__v1', chunks: 4, pooling: 'cls', dropped: true },
  );
  const hits = await search('notes', 'which instrument has strings', { store, k: 1 });
  assert.equal(hits[0].documentId, 'n3');
});
