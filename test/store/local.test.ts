// The LanceDB adapter: the shared conformance suite, plus what only an embedded store has —
// several processes writing one folder, and the index built by optimize.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect } from '@lancedb/lancedb';
import { cosine } from '../../src/embed/vector-math.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { runStoreConformance } from './conformance.ts';
import { rejectsWithCode, seededVectors, testPoint, testSpec } from './store-fixtures.ts';

function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreConformance('local (LanceDB)', async () => {
  const data = tempDataDir();
  const store = openLocalStore(data.dir);
  return {
    store,
    cleanup: async () => {
      await store.close();
      data.remove();
    },
  };
});

describe('local store', () => {
  let data: ReturnType<typeof tempDataDir>;
  before(() => {
    data = tempDataDir();
  });
  after(() => data.remove());

  test('a filter on a metadata key no point has is a BAD_REQUEST naming the field', async () => {
    const store = openLocalStore(data.dir);
    await store.ensureCollection('unknown-field', testSpec(4));
    await store.upsert('unknown-field', [testPoint('unknown-field', 'a', 0, [1, 0, 0, 0], { metadata: { lang: 'en' } })]);

    await rejectsWithCode(store.count('unknown-field', { lnag: 'en' }), 'BAD_REQUEST', /unknown filter field "lnag"/);
    await rejectsWithCode(store.search('unknown-field', Float32Array.from([1, 0, 0, 0]), 3, { lnag: 'en' }), 'BAD_REQUEST', /"lnag"/);
    await store.close();
  });

  test('a table made before write versions (no write_version column) is read as version 0 and takes versioned writes', async () => {
    const first = openLocalStore(data.dir);
    await first.ensureCollection('pre-versions', testSpec(4));
    await first.upsert('pre-versions', [0, 1, 2].map((i) => testPoint('pre-versions', 'd', i, [1, i, 0, 0])).concat(testPoint('pre-versions', 'e', 0, [0, 1, 0, 0])));
    await first.close();
    const db = await connect(data.dir);
    await (await db.openTable('pre-versions__v1')).dropColumns(['write_version']);
    db.close();

    const store = openLocalStore(data.dir);
    assert.deepEqual([...(await store.documentHashes('pre-versions', ['d', 'e'])).keys()], ['d', 'e']);
    assert.equal(await store.highestVersion('pre-versions'), 0);
    assert.deepEqual([...(await store.newerDocuments('pre-versions', ['d', 'e'], 0))], []);
    await store.deleteDocument('pre-versions', 'e', 0, 3);
    assert.deepEqual((await store.upsert('pre-versions', [testPoint('pre-versions', 'd', 0, [1, 1, 1, 0], { version: 2, text: 'd v2' })])).stored, [true]);
    const chunks = [];
    for await (const chunk of store.chunks('pre-versions')) chunks.push(`${chunk.documentId}:${chunk.chunkIndex}:${chunk.text}`);
    assert.deepEqual(chunks, ['d:0:d v2'], 'the older chunks 1-2 of d went with the new version');
    assert.equal(await store.highestVersion('pre-versions'), 2);
    assert.equal((await store.search('pre-versions', Float32Array.from([1, 1, 1, 0]), 1))[0].text, 'd v2');
    await store.close();
  });

  test('several connections creating one collection at once: same-spec callers all succeed, the odd one is refused', async () => {
    // LanceDB alone lets two racing creates both succeed (2 rounds in 30 with 4 connections), so
    // the odd caller could believe its spec was recorded; 25 rounds, read back by a fresh store.
    for (let round = 0; round < 25; round++) {
      const specs = [testSpec(4), testSpec(4), testSpec(4), testSpec(4, 'dot')];
      if (round % 2) specs.reverse();
      const stores = specs.map(() => openLocalStore(data.dir));
      const results = await Promise.allSettled(stores.map((store, i) => store.ensureCollection(`raced-${round}`, specs[i])));
      // Whichever create won decides the spec; every caller asking for another one gets a mismatch.
      const reader = openLocalStore(data.dir);
      const recorded = JSON.stringify((await reader.describe(`raced-${round}`))?.spec);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
      assert.deepEqual(outcomes, specs.map((spec) => (JSON.stringify(spec) === recorded ? 'ok' : 'COLLECTION_MISMATCH')), `round ${round}`);
      await Promise.all([...stores, reader].map((s) => s.close()));
    }
  });

  test('two processes creating and writing one collection at once lose no point and duplicate none', async () => {
    const perWorker = 150;
    const worker = fileURLToPath(new URL('./local-upsert-worker.ts', import.meta.url));
    const run = (index: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, data.dir, 'shared', String(index), String(perWorker), '10'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      return once(child, 'exit').then(([code]) => assert.equal(code, 0, `worker ${index} exited with ${code}`));
    };

    await Promise.all([run(0), run(1)]);

    const store = openLocalStore(data.dir);
    assert.equal(await store.count('shared'), 2 * perWorker);
    assert.equal(await store.count('shared', { worker: 0 }), perWorker);
    assert.equal(await store.count('shared', { worker: 1 }), perWorker);
    // Columns each worker added while the other was writing are filterable, and null elsewhere.
    assert.equal(await store.count('shared', { w0_batch3: true }), 10);
    assert.equal(await store.count('shared', { w1_batch14: true, worker: 0 }), 0);
    assert.equal((await store.describe('shared'))?.documents, 2 * perWorker);
    await store.close();
  });

  test('two processes creating collections at once keep every name (aliases.json is updated under a lock)', async () => {
    const worker = fileURLToPath(new URL('./local-create-worker.ts', import.meta.url));
    const run = (index: number) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, data.dir, String(index), '15'], { stdio: ['ignore', 'inherit', 'inherit'] });
      return once(child, 'exit').then(([code]) => assert.equal(code, 0, `process ${index} exited with ${code}`));
    };
    await Promise.all([run(0), run(1)]);
    const store = openLocalStore(data.dir);
    const names = new Set((await store.listCollections()).map((c) => c.name));
    const missing = [0, 1].flatMap((w) => Array.from({ length: 15 }, (_, i) => `p${w}-c${i}`)).filter((name) => !names.has(name));
    assert.deepEqual(missing, []);
    await store.close();
  });

  describe('indexes built by optimize', () => {
    const dims = 16;
    const docs = seededVectors(450, dims, 7).map((vector, i) => ({ id: `doc${i}`, vector }));
    const queries = seededVectors(5, dims, 99);
    const pointsFor = (collection: string, from: number, to: number) =>
      docs.slice(from, to).map((d, j) => testPoint(collection, d.id, 0, d.vector, { metadata: { half: (from + j) % 2 } }));
    const indexedColumns = async (collection: string) => {
      const db = await connect(data.dir);
      const table = await db.openTable(`${collection}__v1`); // the physical version behind the name
      const columns = (await table.listIndices()).map((index) => index.columns[0]).sort();
      table.close();
      db.close();
      return columns;
    };
    /** The store's top 5 must be the exact top 5, with exact scores, whatever index serves them. */
    const assertMatchesBruteForce = async (store: VectorStore, collection: string, among: typeof docs) => {
      for (const q of queries) {
        const expected = among
          .map((d) => ({ id: d.id, score: cosine(q, d.vector) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 5);
        const hits = await store.search(collection, q, 5);
        assert.deepEqual(hits.map((h) => h.documentId), expected.map((e) => e.id));
        hits.forEach((hit, r) => assert.ok(Math.abs(hit.score - expected[r].score) < 1e-5, `score ${hit.score} vs ${expected[r].score}`));
      }
    };

    test('below the threshold optimize compacts but builds no vector or btree index', async () => {
      const store = openLocalStore(data.dir, { vectorMinRows: 1000, scalarMinRows: 1000 });
      await store.ensureCollection('small', testSpec(dims));
      for (let i = 0; i < 300; i += 50) await store.upsert('small', pointsFor('small', i, i + 50));

      await store.optimize('small');

      // Only the keyword (full-text) index, which every table gets when it is created.
      assert.deepEqual(await indexedColumns('small'), ['keywords']);
      await assertMatchesBruteForce(store, 'small', docs.slice(0, 300));
      await store.close();
    });

    test('from vectorMinRows (EMBEDLINE_INDEX_MIN_ROWS) rows it builds HNSW and btree indexes; results stay exact, also for rows added later', async () => {
      const store = openLocalStore(data.dir, { vectorMinRows: 300 });
      await store.ensureCollection('large', testSpec(dims));
      for (let i = 0; i < 400; i += 50) await store.upsert('large', pointsFor('large', i, i + 50));

      await store.optimize('large');

      assert.deepEqual(await indexedColumns('large'), ['document_id', 'id', 'keywords', 'vector']);
      await assertMatchesBruteForce(store, 'large', docs.slice(0, 400));
      assert.equal(await store.count('large', { half: 1 }), 200);
      assert.ok((await store.search('large', queries[0], 10, { half: 1 })).every((h) => h.metadata.half === 1));

      // Rows written after the build are not in the index yet, but search still finds them.
      await store.upsert('large', pointsFor('large', 400, 450));
      await assertMatchesBruteForce(store, 'large', docs);
      await store.deleteDocument('large', 'doc3');
      assert.equal(await store.count('large'), 449);

      await store.optimize('large');
      await assertMatchesBruteForce(store, 'large', docs.filter((d) => d.id !== 'doc3'));
      assert.deepEqual(await store.describe('large'), { name: 'large', version: 'large__v1', spec: testSpec(dims), points: 449, documents: 449, fields: { half: 'integer' } });
      await store.close();
    });
  });

  test('openStore returns the local store unless a Qdrant URL is given', async () => {
    const store = openStore({ dataDir: data.dir });
    assert.equal(store.kind, 'local');
    await store.close();
    // Building the Qdrant store sends no request, so no server is needed to see which one was picked.
    assert.equal(openStore({ dataDir: data.dir, qdrantUrl: 'http://localhost:6333' }).kind, 'qdrant');
  });
});
