// Keyword and hybrid search, the same expectations on both stores (LanceDB, and Qdrant through the
// stand-in with every request checked against the 1.19 OpenAPI document): an identifier found by
// keyword and hybrid but not by dense, hybrid's order checked against reciprocal rank fusion
// computed by hand from the two ranked lists read back, filters on both lists, CJK text, the
// keyword index following versioned writes, shorter versions and deletes, and the one-line answer
// of a collection built before keyword indexes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '@lancedb/lancedb';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import { fusionDepth } from '../../src/store/rank-fusion.ts';
import type { StoredPoint, VectorStore } from '../../src/store/vector-store.ts';
import { openApiProblems, startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

interface Subject {
  store: VectorStore;
  /** A collection as embedline made it before keyword search: same spec, no keyword index. */
  makeOldCollection(name: string): Promise<void>;
  cleanup(): Promise<void>;
}

const RRF_K = 60;
const ids = (hits: SearchHit[]) => hits.map((h) => h.documentId);

/** Points of a small corpus: one document holds an identifier, far from the query vector. */
function corpus(c: string): StoredPoint[] {
  const doc = (id: string, text: string, vector: number[], lang = 'en') => testPoint(c, id, 0, vector, { text, metadata: { lang }, version: 1 });
  return [
    doc('a', 'the router restarts overnight', [1, 0, 0, 0]),
    doc('b', 'a modem blinks twice', [0.9, 0.3, 0, 0]),
    doc('c', 'router lights stay green', [0.7, 0.7, 0, 0], 'de'),
    doc('d', 'overnight backups finish late', [0.3, 0.9, 0.1, 0]),
    doc('e', 'the router router router needs power', [0.1, 0.2, 1, 0], 'de'),
    doc('manual', 'Reset the router with code XK-2231 before calling support', [0, 0, 0.05, 1]),
    doc('zh', '向量数据库支持混合检索', [0, 0.1, 0.9, 0.3]),
  ];
}
const QUERY = Float32Array.from([1, 0.1, 0, 0]);

/** Reciprocal rank fusion by hand: Σ 1/(60 + position), position from 0. */
function fusedByHand(lists: SearchHit[][]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) list.forEach((hit, position) => scores.set(hit.id, (scores.get(hit.id) ?? 0) + 1 / (RRF_K + position)));
  return scores;
}

function hybridConformance(name: string, makeSubject: () => Promise<Subject>): void {
  describe(`keyword and hybrid search: ${name}`, () => {
    let subject: Subject;
    let store: VectorStore;
    let counter = 0;
    const fresh = (label: string) => `hy-${process.pid}-${label}-${++counter}`;
    async function collectionWith(label: string, points: (c: string) => StoredPoint[]): Promise<string> {
      const c = fresh(label);
      await store.ensureCollection(c, testSpec(4));
      await store.upsert(c, points(c));
      return c;
    }

    before(async () => {
      subject = await makeSubject();
      store = subject.store;
    });
    after(async () => subject.cleanup());

    test('an identifier is found by keyword and hybrid, not by dense', async () => {
      const c = await collectionWith('ident', corpus);
      const dense = await store.search(c, QUERY, 3);
      assert.ok(!ids(dense).includes('manual'), `dense top 3: ${ids(dense)}`);
      const [keyword] = await store.searchText(c, [{ text: 'XK-2231' }], 3);
      assert.deepEqual(ids(keyword), ['manual']);
      const [hybrid] = await store.searchText(c, [{ text: 'XK-2231', vector: QUERY }], 3);
      assert.equal(hybrid[0].documentId, 'manual', `hybrid top 3: ${ids(hybrid)}`);
      // The rest of hybrid's page is dense's best: the fusion lost neither list.
      assert.deepEqual(ids(hybrid).slice(1), ids(dense).slice(0, 2));
      // Case and punctuation do not matter, the same tokeniser cut the chunk and the query.
      const [lower] = await store.searchText(c, [{ text: 'code xk 2231' }], 1);
      assert.equal(lower[0].documentId, 'manual');
    });

    test('hybrid order and scores are reciprocal rank fusion (k = 60) of the dense and keyword lists', async () => {
      const c = await collectionWith('rrf', corpus);
      const k = 4;
      const text = 'router overnight';
      const dense = await store.search(c, QUERY, fusionDepth(k));
      const [keyword] = await store.searchText(c, [{ text }], fusionDepth(k));
      assert.ok(keyword.length >= 4 && dense.length === 7, `lists of ${dense.length} and ${keyword.length}`);
      const expected = fusedByHand([dense, keyword]);
      const [hybrid] = await store.searchText(c, [{ text, vector: QUERY }], k);
      assert.equal(hybrid.length, k);
      for (const hit of hybrid) assert.ok(Math.abs(hit.score - (expected.get(hit.id) as number)) < 1e-6, `${hit.documentId}: ${hit.score} vs ${expected.get(hit.id)}`);
      for (let i = 1; i < hybrid.length; i++) assert.ok(hybrid[i - 1].score >= hybrid[i].score);
      // Nothing left out scores above what was kept (ties at the boundary may go either way).
      const kept = new Set(hybrid.map((h) => h.id));
      const bestLeftOut = Math.max(...[...expected].filter(([id]) => !kept.has(id)).map(([, s]) => s));
      assert.ok(hybrid[k - 1].score >= bestLeftOut - 1e-9);
    });

    test('a filter applies to both lists; a query without terms finds nothing by keyword', async () => {
      const c = await collectionWith('filter', corpus);
      const [hybrid] = await store.searchText(c, [{ text: 'router', vector: QUERY }], 10, { lang: 'de' });
      assert.deepEqual(ids(hybrid).sort(), ['c', 'e']);
      const [keyword] = await store.searchText(c, [{ text: 'router' }], 10, { lang: 'de' });
      assert.deepEqual(ids(keyword).sort(), ['c', 'e']);
      const [none] = await store.searchText(c, [{ text: '?!  --' }], 10);
      assert.deepEqual(none, []);
      const [denseOnly] = await store.searchText(c, [{ text: '?!', vector: QUERY }], 2);
      assert.deepEqual(ids(denseOnly), ids(await store.search(c, QUERY, 2)));
    });

    test('Chinese text is found by its character bigrams; several queries answer in order', async () => {
      const c = await collectionWith('cjk', corpus);
      const answers = await store.searchText(c, [{ text: '混合检索' }, { text: 'XK-2231' }, { text: '数据' }], 3);
      assert.deepEqual(answers.map((hits) => hits[0]?.documentId), ['zh', 'manual', 'zh']);
    });

    test('the keyword index follows the newest version: replaced, shorter, stale and deleted text is not found', async () => {
      const c = fresh('versions');
      await store.ensureCollection(c, testSpec(4));
      const find = async (text: string) => ids((await store.searchText(c, [{ text }], 5))[0]);
      await store.upsert(c, [
        testPoint(c, 'v', 0, [1, 0, 0, 0], { text: 'legacy token QQ-17', version: 1, contentHash: 'h1' }),
        testPoint(c, 'v', 1, [0, 1, 0, 0], { text: 'surplus ZZ-1', version: 1, contentHash: 'h1' }),
      ]);
      assert.deepEqual(await find('qq-17'), ['v']);
      assert.deepEqual(await find('zz-1'), ['v']);
      // Version 2 has one chunk with other text: the old words go, chunk 1 goes.
      await store.upsert(c, [testPoint(c, 'v', 0, [1, 0, 0, 0], { text: 'fresh words only', version: 2, contentHash: 'h2' })]);
      assert.deepEqual(await find('qq-17'), []);
      assert.deepEqual(await find('zz-1'), []);
      assert.deepEqual(await find('fresh'), ['v']);
      // A late write of version 1 is refused, and its words stay unfindable.
      const outcome = await store.upsert(c, [testPoint(c, 'v', 0, [1, 0, 0, 0], { text: 'legacy QQ-17 again', version: 1, contentHash: 'h1' })]);
      assert.deepEqual(outcome.stored, [false]);
      assert.deepEqual(await find('qq-17'), []);
      await store.optimize(c);
      assert.deepEqual(await find('fresh'), ['v'], 'found after optimize folded the rows into the index');
      await store.deleteDocument(c, 'v');
      assert.deepEqual(await find('fresh'), []);
      assert.deepEqual(await store.searchText(c, [{ text: 'fresh', vector: Float32Array.from([1, 0, 0, 0]) }], 5), [[]]);
    });

    test('a collection built before keyword search answers keyword and hybrid with one line naming reindex', async () => {
      const c = fresh('old');
      await subject.makeOldCollection(c);
      await store.upsert(c, [testPoint(c, 'x', 0, [1, 0, 0, 0], { text: 'still writable', version: 1 })]);
      assert.equal((await store.search(c, QUERY, 1))[0].documentId, 'x', 'dense search works as before');
      for (const vector of [undefined, QUERY]) {
        await rejectsWithCode(store.searchText(c, [{ text: 'still', vector }], 3), 'KEYWORD_INDEX_MISSING', new RegExp(`^collection "${c}" has no keyword index .*run "embedline reindex --collection ${c}"[^\\n]*$`));
      }
    });
  });
}

hybridConformance('local (LanceDB)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-hybrid-'));
  const store = openLocalStore(dir);
  return {
    store,
    // The table as it was before keyword search: without the keywords column (and so its index).
    async makeOldCollection(name) {
      await store.ensureCollection(name, testSpec(4));
      const db = await connect(dir);
      const table = await db.openTable(`${name}__v1`);
      for (const index of await table.listIndices()) await table.dropIndex(index.name);
      await table.dropColumns(['keywords']);
      table.close();
      db.close();
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

hybridConformance('qdrant (stand-in)', async () => {
  const standin: QdrantStandin = await startQdrantStandin({ strict: true });
  const store = openQdrantStore({ url: standin.url });
  return {
    store,
    // A collection as embedline created it before keyword search: the dense vector and the spec, no sparse vector.
    async makeOldCollection(name) {
      const response = await fetch(`${standin.url}/collections/${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vectors: { size: 4, distance: 'Cosine' }, metadata: { embedline_spec: testSpec(4) } }),
      });
      assert.equal(response.status, 200, await response.text());
      await store.ensureCollection(name, testSpec(4));
    },
    async cleanup() {
      await store.close();
      const problems = await openApiProblems(standin);
      await standin.stop();
      assert.deepEqual(problems, [], 'every request matches the Qdrant 1.19 OpenAPI document');
    },
  };
});
