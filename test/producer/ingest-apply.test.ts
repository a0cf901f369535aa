// read -> plan -> apply on real parts (Redis, the embedded store, the model's tokenizer, a JSONL file):
// what each decision does to the queue and the store. A document a later run holds is left alone
// (stale), a changed one keeps its old version whole until the new one lands, an unchanged one that an
// older run's leftover job carries is claimed, --prune spares what a newer run wrote, the check pass
// counts without touching anything, a heal pass does not write rejects again, and the verified ingest
// does not count a document a later run holds as lost.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectionSpec } from '../../src/contracts/collection-spec.ts';
import { chunkSettingsForModel } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkSetHash, contentHash } from '../../src/producer/chunking/content-hash.ts';
import { collectionSpecFor, queueIngest, type IngestDeps, type IngestPlan } from '../../src/producer/ingest.ts';
import { ingestVerified } from '../../src/producer/verified-ingest.ts';
import { RejectsFile } from '../../src/producer/rejects-file.ts';
import { openSource } from '../../src/producer/sources/open-source.ts';
import type { SourceDocument } from '../../src/producer/sources/source-item.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { testPoint } from '../store/store-fixtures.ts';

const iso = isolatedEnv('ingest-apply');
after(() => iso.cleanup());

const embedder = await testEmbedder();
const settings = chunkSettingsForModel(embedder, embedder.info.defaultPrompts.document ?? '');
const RUN = 5;
const text = (id: string) => `Note ${id}: how the harbour was built, who paid for it, and what the town traded afterwards.`;

function writeJsonl(name: string, lines: string[]): string {
  const path = join(iso.dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function parts(collection: string, sourcePath: string) {
  const store = openLocalStore(iso.dataDir);
  const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
  const rejects = await RejectsFile.open(join(iso.dir, `${collection}-rejects.jsonl`));
  const source = await openSource(sourcePath, { textFields: ['text'], idField: 'id' });
  const spec: CollectionSpec = collectionSpecFor(embedder, { settings });
  const plan: IngestPlan = { collection, source, spec, prune: true, version: RUN };
  await store.ensureCollection(collection, spec);
  const deps: IngestDeps = { embedder, store, queue, rejects, collectionReady: async () => undefined };
  const close = async () => {
    await rejects.close();
    await source.close();
    await queue.close();
    await store.close();
  };
  return { store, queue, rejects, source, plan, spec, deps, close };
}

/** A stored one-chunk document: `hash` is its chunk 0's contentHash, `version` its write version. */
const stored = (collection: string, id: string, hash: string, version: number) =>
  testPoint(collection, id, 0, Array.from({ length: embedder.info.dims }, (_, i) => (i === 0 ? 1 : 0)), { contentHash: hash, version });

test('each decision on the queue and the store: added, updated, unchanged (claimed), stale, pruned', { timeout: 120_000 }, async () => {
  const ids = ['new', 'changed', 'same', 'newer'];
  const path = writeJsonl('docs.jsonl', ids.map((id) => JSON.stringify({ id, text: text(id) })));
  const { store, queue, source, plan, spec, deps, close } = await parts('docs', path);
  try {
    const documents = new Map<string, SourceDocument>();
    for await (const item of source.read()) if (item.kind === 'document') documents.set(item.id, item);
    const sameHash = chunkSetHash(contentHash(documents.get('same')!, settings), 1);
    await store.upsert('docs', [
      stored('docs', 'changed', chunkSetHash('older-text', 1), 3),
      stored('docs', 'same', sameHash, 3),
      stored('docs', 'newer', chunkSetHash('a-later-runs-text', 1), 10),
      stored('docs', 'gone', chunkSetHash('gone-text', 1), 3),
      stored('docs', 'gone-later', chunkSetHash('gone-later-text', 1), 10),
    ]);
    // A leftover job of run 2 with other text for "same": found unchanged, the run claims it.
    const chunk = { documentId: 'same', chunkIndex: 0, text: 'Other', start: 0, end: 5, tokens: 3, contentHash: 'leftover', metadata: {} };
    await queue.add({ collection: 'docs', spec, chunks: [chunk], version: 2 });

    const first = await queueIngest(plan, deps);
    assert.deepEqual(
      [first.added, first.updated, first.unchanged, first.stale, first.repaired, first.rejected, first.deleted, first.documentsQueued],
      [1, 1, 1, 1, 0, 0, 2, 2],
      'added, updated, unchanged, stale, repaired, rejected, deleted, queued',
    );
    assert.equal([...first.jobs.values()].reduce((a, b) => a + b, 0), first.chunksQueued);
    assert.deepEqual([...(await queue.documentsOfOlderJobs('docs', RUN + 1))].sort(), ['changed', 'new', 'same'], 'queued: new and changed (and the leftover)');

    const hashes = await store.documentHashes('docs', ['changed', 'same', 'newer', 'gone', 'gone-later']);
    assert.equal(hashes.get('changed')?.contentHash, chunkSetHash('older-text', 1), 'the old version stays whole until the new one is written');
    assert.equal(hashes.get('newer')?.contentHash, chunkSetHash('a-later-runs-text', 1), 'stale: the newer run keeps its text');
    assert.equal(hashes.has('gone'), false, 'pruned');
    assert.equal(hashes.has('gone-later'), true, 'prune spares what a newer run wrote');
    assert.deepEqual([...(await store.newerDocuments('docs', ['same', 'changed'], RUN - 1))], ['same'], 'the unchanged document is claimed for run 5');

    // Verification plans only: it counts what the store lacks (not the stale document) and queues nothing.
    const before = await queue.counts();
    const check = await queueIngest({ ...plan, pass: 'check' }, deps);
    assert.deepEqual([check.documentsQueued, check.stale, check.unchanged, check.deleted, check.jobs.size], [2, 1, 1, 0, 0]);
    assert.equal(check.chunksQueued, first.chunksQueued);
    assert.deepEqual(await queue.counts(), before, 'the check pass queued nothing');
    assert.equal((await store.documentHashes('docs', ['gone-later'])).size, 1);
  } finally {
    await close();
  }
});

test('rejects: written by the first pass only; prune skipped when a record was rejected', { timeout: 120_000 }, async () => {
  const path = writeJsonl('bad.jsonl', [JSON.stringify({ id: 'a', text: text('a') }), '{"id": "b", "text": ', JSON.stringify({ id: 'c', text: text('c') })]);
  const { store, rejects, plan, deps, close } = await parts('bad', path);
  try {
    await store.upsert('bad', [stored('bad', 'old', chunkSetHash('old-text', 1), 1)]);
    const first = await queueIngest(plan, deps);
    assert.deepEqual([first.added, first.rejected, first.deleted], [2, 1, 0]);
    assert.match(first.pruneSkipped ?? '', /^--prune \(prune\) deleted nothing: 1 record\(s\)/);
    const heal = await queueIngest({ ...plan, pass: 'heal' }, deps);
    assert.deepEqual([heal.rejected, heal.pruneSkipped, heal.deleted], [1, undefined, 0], 'a heal pass counts rejects but neither writes them nor prunes');
    await rejects.close();
    const lines = readFileSync(rejects.path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 1, 'one reject line, from the first pass');
    assert.equal(JSON.parse(lines[0]).line, 2);
    assert.equal((await store.documentHashes('bad', ['old'])).size, 1, 'nothing pruned');
  } finally {
    await close();
  }
});

test('verified ingest: a document a later run holds is neither queued nor lost', { timeout: 60_000 }, async () => {
  // No workers run here: a job queued for "newer" would never settle (before, it was queued, its job
  // superseded, queued again by every heal pass and finally reported lost).
  const path = writeJsonl('later.jsonl', ['newer', 'same'].map((id) => JSON.stringify({ id, text: text(id) })));
  const { store, source, plan, deps, close } = await parts('later', path);
  try {
    const documents = new Map<string, SourceDocument>();
    for await (const item of source.read()) if (item.kind === 'document') documents.set(item.id, item);
    const sameHash = chunkSetHash(contentHash(documents.get('same')!, settings), 1);
    await store.upsert('later', [stored('later', 'newer', chunkSetHash('a-later-runs-text', 1), 10), stored('later', 'same', sameHash, 3)]);
    const verified = await ingestVerified({ ...plan, prune: false }, deps);
    assert.deepEqual([verified.first.stale, verified.first.unchanged, verified.first.jobs.size, verified.requeued, verified.lost], [1, 1, 0, 0, 0]);
  } finally {
    await close();
  }
});
