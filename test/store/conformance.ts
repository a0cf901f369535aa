// The behaviour every VectorStore adapter must share. Each adapter's test file calls
// runStoreConformance with a factory; the expectations here are identical for all of them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Filter } from '../../src/contracts/filter.ts';
import { cosine, dot } from '../../src/embed/vector-math.ts';
import type { StoreAdapter } from '../../src/store/store-adapter.ts';
import type { CollectionInfo, StoredPoint, VectorStore } from '../../src/store/vector-store.ts';
import { collect, rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

export interface StoreUnderTest {
  store: VectorStore;
  cleanup(): Promise<void>;
}

const TOLERANCE = 1e-5;
const query = [1, 2, 0, 1];

export function runStoreConformance(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`VectorStore conformance: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: VectorStore;
    // Unique per run, so adapters backed by a shared server never see another run's collections.
    const runId = randomBytes(4).toString('hex');
    let counter = 0;
    const freshName = (label: string) => `conf-${runId}-${label}-${++counter}`;

    /** A new collection of dims 4 holding these points (built by `points(name)`). */
    async function collectionWith(label: string, points: (collection: string) => StoredPoint[], distance: 'cosine' | 'dot' = 'cosine') {
      const collection = freshName(label);
      await store.ensureCollection(collection, testSpec(4, distance));
      await store.upsert(collection, points(collection));
      return collection;
    }

    before(async () => {
      subject = await makeStore();
      store = subject.store;
    });
    after(async () => {
      await subject.cleanup();
    });

    test('ensureCollection creates once, accepts the same spec again, refuses a different one naming the fields', async () => {
      const collection = freshName('ensure');
      await store.ensureCollection(collection, testSpec(4));
      await store.ensureCollection(collection, testSpec(4));

      const info = withoutIndexing(await store.describe(collection));
      assert.deepEqual(info, { name: collection, version: `${collection}__v1`, spec: testSpec(4), points: 0, documents: 0, fields: {} });
      await rejectsWithCode(
        store.ensureCollection(collection, testSpec(8, 'cosine', { model: 'other-model' })),
        'COLLECTION_MISMATCH',
        /model: collection has "test-model", requested "other-model".*dims: collection has 4, requested 8/,
      );
    });

    test('upsert replaces by id: re-upserting a chunk leaves one point with the new content', async () => {
      const collection = await collectionWith('replace', (c) => [
        testPoint(c, 'doc', 0, [1, 0, 0, 0], { metadata: { lang: 'en', draft: true } }),
        testPoint(c, 'doc', 1, [0, 1, 0, 0]),
        testPoint(c, 'other', 0, [0, 0, 1, 0]),
      ]);

      await store.upsert(collection, [testPoint(collection, 'doc', 0, [0, 0, 0, 1], { text: 'rewritten', metadata: { lang: 'de' } })]);

      assert.equal(await store.count(collection), 3);
      const [best] = await store.search(collection, Float32Array.from([0, 0, 0, 1]), 1);
      assert.equal(best.text, 'rewritten');
      assert.deepEqual(best.metadata, { lang: 'de' });
      assert.equal(best.id, testPoint(collection, 'doc', 0, [0, 0, 0, 1]).id);
      // The replaced point's old metadata is gone, not merged.
      assert.equal(await store.count(collection, { lang: 'en' }), 0);
      assert.equal(await store.count(collection, { draft: true }), 0);
    });

    test('a batch naming one id twice stores the last version once', async () => {
      const collection = await collectionWith('dup', (c) => [
        testPoint(c, 'doc', 0, [1, 0, 0, 0], { text: 'first' }),
        testPoint(c, 'doc', 0, [1, 0, 0, 0], { text: 'second' }),
      ]);
      const chunks = await collect(store.chunks(collection));
      assert.deepEqual(chunks.map((c) => c.text), ['second']);
    });

    test('cosine search: best first, score = cosine similarity computed by hand, k respected', async () => {
      const vectors: Record<string, number[]> = { same: [2, 4, 0, 2], close: [2, 1, 0, 0], orthogonal: [0, 0, 3, 0], opposite: [-1, -2, 0, -1] };
      const collection = await collectionWith('cosine', (c) => Object.entries(vectors).map(([doc, v]) => testPoint(c, doc, 0, v)));

      const hits = await store.search(collection, Float32Array.from(query), 10);

      assert.deepEqual(hits.map((h) => h.documentId), ['same', 'close', 'orthogonal', 'opposite']);
      for (const hit of hits) assert.ok(Math.abs(hit.score - cosine(query, vectors[hit.documentId])) < TOLERANCE, `${hit.documentId}: ${hit.score}`);
      assert.ok(Math.abs(hits[0].score - 1) < TOLERANCE);
      assert.deepEqual((await store.search(collection, Float32Array.from(query), 2)).map((h) => h.documentId), ['same', 'close']);
    });

    test('dot search: best first, score = raw dot product (above 1 and below 0 included)', async () => {
      const vectors: Record<string, number[]> = { three: [3, 0, 0, 0], six: [0, 2, 0, 2], minusThree: [-1, -1, 0, 0], two: [0.5, 0.5, 0.5, 0.5] };
      const collection = await collectionWith('dot', (c) => Object.entries(vectors).map(([doc, v]) => testPoint(c, doc, 0, v)), 'dot');

      const hits = await store.search(collection, Float32Array.from(query), 10);

      assert.deepEqual(hits.map((h) => h.documentId), ['six', 'three', 'two', 'minusThree']);
      for (const hit of hits) assert.ok(Math.abs(hit.score - dot(query, vectors[hit.documentId])) < TOLERANCE, `${hit.documentId}: ${hit.score}`);
    });

    test('search hits carry the whole chunk: id, text, offsets and typed metadata', async () => {
      const metadata = { lang: 'en', year: 2020, rating: 4.5, published: true, note: null };
      const collection = await collectionWith('hit', (c) => [testPoint(c, 'doc', 3, [1, 2, 0, 1], { metadata, text: 'hello' })]);

      const [hit] = await store.search(collection, Float32Array.from(query), 1);

      const expected = testPoint(collection, 'doc', 3, [1, 2, 0, 1], { metadata, text: 'hello' });
      assert.deepEqual({ ...hit, score: 0 }, {
        id: expected.id,
        score: 0,
        documentId: 'doc',
        chunkIndex: 3,
        text: 'hello',
        start: expected.chunk.start,
        end: expected.chunk.end,
        metadata,
      });
    });

    describe('filters', () => {
      let collection: string;
      before(async () => {
        collection = await collectionWith('filters', (c) => [
          testPoint(c, 'doc-en', 0, [1, 2, 0, 1], { metadata: { lang: 'en', year: 2020, rating: 4.5, published: true, tag: '2020' } }),
          testPoint(c, 'doc-en', 1, [1, 2, 0, 0], { metadata: { lang: 'en', year: 2020, rating: 4.5, published: true, tag: '2020' } }),
          testPoint(c, 'doc-de', 0, [1, 1, 0, 1], { metadata: { lang: 'de', year: 2021, rating: 3, published: false } }),
          testPoint(c, "doc-it's", 0, [0, 1, 1, 0], { metadata: { lang: "it's", year: 2020, published: true, note: null } }),
          testPoint(c, 'doc-fr', 0, [0, 0, 1, 1], { metadata: { lang: 'fr' } }),
        ]);
      });

      const cases: Array<[string, Filter, number]> = [
        ['string equality', { lang: 'en' }, 2],
        ['any-of', { lang: ['en', 'de'] }, 3],
        ['integer', { year: 2020 }, 3],
        ['float', { rating: 4.5 }, 2],
        ['boolean true', { published: true }, 3],
        ['boolean false', { published: false }, 1],
        ['documentId', { documentId: 'doc-de' }, 1],
        ['documentId any-of', { documentId: ['doc-de', 'doc-fr', 'missing'] }, 2],
        ['value containing a quote', { lang: "it's" }, 1],
        ['documentId containing a quote', { documentId: "doc-it's" }, 1],
        ['several fields are ANDed', { lang: 'en', year: 2020 }, 2],
        ['AND that nothing satisfies', { lang: 'en', published: false }, 0],
        ['a value is read as its field\'s recorded type: "2020" in the integer field year', { year: '2020' }, 3],
        ['a value is read as its field\'s recorded type: 2020 in the keyword field tag', { tag: 2020 }, 2],
        ['a whole number in a float field', { rating: 3 }, 1],
        ['"false" in a bool field', { published: 'false' }, 1],
        ['any-of, mixed types read as the field\'s', { year: ['2021', 1999] }, 1],
        ['string "2020" matches string "2020"', { tag: '2020' }, 2],
        ['a quote cannot inject SQL', { lang: "x' OR '1'='1" }, 0],
        ['a backslash is just a character', { lang: 'en\\' }, 0],
      ];
      for (const [label, filter, expected] of cases) {
        test(`${label}: count and search agree`, async () => {
          assert.equal(await store.count(collection, filter), expected);
          const hits = await store.search(collection, Float32Array.from(query), 10, filter);
          assert.equal(hits.length, expected);
        });
      }

      test('a value its field can never hold is refused by name, not answered with 0 hits', async () => {
        const refusals: Array<[Filter, RegExp]> = [
          [{ year: 'soon' }, /filter\.year: "soon" can never match: "year" is recorded as integer/],
          [{ year: 2020.5 }, /filter\.year: 2020\.5 can never match/],
          [{ published: 'yes' }, /filter\.published: "yes" can never match: "published" is recorded as bool/],
          [{ rating: [4.5, 'high'] }, /filter\.rating: "high" can never match: "rating" is recorded as float/],
        ];
        for (const [filter, message] of refusals) {
          await rejectsWithCode(store.count(collection, filter), 'BAD_REQUEST', message);
          await rejectsWithCode(store.search(collection, Float32Array.from(query), 10, filter), 'BAD_REQUEST', message);
        }
      });

      test('the recorded field types: CSV-like strings are keywords, JSON numbers integer or float, booleans bool', async () => {
        assert.deepEqual((await store.describe(collection))?.fields, { lang: 'keyword', year: 'integer', rating: 'float', published: 'bool', tag: 'keyword' });
      });

      test('searchBatch answers each vector as a search of its own would: k, filter and threshold apply per vector, in order', async () => {
        const vectors = [query, [0, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0], query].map((v) => Float32Array.from(v));
        const asks: Array<[number, Filter | undefined, number | undefined]> = [
          [2, undefined, undefined],
          [10, { year: 2020 }, undefined],
          [3, undefined, 0.5],
          [1, { lang: ['en', 'fr'] }, undefined],
        ];
        for (const [k, filter, threshold] of asks) {
          const batch = await store.searchBatch(collection, vectors, k, filter, threshold);
          const alone = await Promise.all(vectors.map((v) => store.search(collection, v, k, filter, threshold)));
          assert.equal(batch.length, vectors.length);
          assert.deepEqual(batch.map((hits) => hits.map((h) => h.id)), alone.map((hits) => hits.map((h) => h.id)), `k ${k}, filter ${JSON.stringify(filter)}, threshold ${threshold}`);
          batch.flat().forEach((hit, i) => assert.ok(Math.abs(hit.score - alone.flat()[i].score) < TOLERANCE));
        }
        assert.notDeepEqual(
          (await store.searchBatch(collection, vectors.slice(0, 2), 1)).map((hits) => hits[0].documentId),
          ['doc-en', 'doc-en'],
          'different vectors get their own answers',
        );
      });

      test('a filtered search still ranks best first within the matches', async () => {
        const hits = await store.search(collection, Float32Array.from(query), 10, { year: 2020 });
        assert.deepEqual(
          hits.map((h) => `${h.documentId}#${h.chunkIndex}`),
          ['doc-en#0', 'doc-en#1', "doc-it's#0"],
        );
        for (const hit of hits) assert.equal(hit.metadata.year, 2020);
      });
    });

    test('scoreThreshold keeps only hits scoring at least the threshold', async () => {
      const vectors: Record<string, number[]> = { same: [1, 2, 0, 1], close: [2, 1, 0, 0], orthogonal: [0, 0, 3, 0] };
      const collection = await collectionWith('threshold', (c) => Object.entries(vectors).map(([doc, v]) => testPoint(c, doc, 0, v)));

      const hits = await store.search(collection, Float32Array.from(query), 10, undefined, 0.5);

      assert.deepEqual(hits.map((h) => h.documentId), ['same', 'close']);
      assert.deepEqual(await store.search(collection, Float32Array.from(query), 10, undefined, 1.5), []);
    });

    test('deleteDocument removes chunks from fromChunk on, or the whole document', async () => {
      const collection = await collectionWith('delete', (c) => [
        ...[0, 1, 2, 3, 4].map((i) => testPoint(c, 'long', i, [1, i, 0, 0])),
        testPoint(c, 'keep', 0, [0, 0, 1, 0]),
      ]);

      await store.deleteDocument(collection, 'long', 2);
      assert.deepEqual((await collect(store.chunks(collection))).filter((c) => c.documentId === 'long').map((c) => c.chunkIndex).sort(), [0, 1]);

      await store.deleteDocument(collection, 'long');
      await store.deleteDocument(collection, 'never-stored');
      assert.deepEqual(await collect(store.documentIds(collection)), ['keep']);
      assert.equal(await store.count(collection), 1);
    });

    test('documentHashes returns chunk 0 hashes, how many chunks carry them and how many do not, for documents with a chunk 0', async () => {
      const collection = await collectionWith('hashes', (c) => [
        testPoint(c, 'a', 0, [1, 0, 0, 0], { contentHash: 'hash-a' }),
        testPoint(c, 'a', 1, [1, 0, 0, 0], { contentHash: 'hash-a' }),
        testPoint(c, "b'quoted", 0, [0, 1, 0, 0], { contentHash: 'hash-b' }),
        // A partly rewritten document: chunk 1 is left from an older version.
        testPoint(c, 'partial', 0, [0, 0, 1, 0], { contentHash: 'hash-new' }),
        testPoint(c, 'partial', 1, [0, 0, 1, 0], { contentHash: 'hash-old' }),
        testPoint(c, 'partial', 2, [0, 0, 1, 0], { contentHash: 'hash-new' }),
        // Chunk 0 lost: the document is not held at all.
        testPoint(c, 'headless', 1, [0, 0, 0, 1], { contentHash: 'hash-h' }),
      ]);

      const hashes = await store.documentHashes(collection, ['a', "b'quoted", 'partial', 'headless', 'missing', 'a']);

      assert.deepEqual([...hashes.entries()].sort(), [
        ['a', { contentHash: 'hash-a', chunks: 2, otherChunks: 0 }],
        ["b'quoted", { contentHash: 'hash-b', chunks: 1, otherChunks: 0 }],
        ['partial', { contentHash: 'hash-new', chunks: 2, otherChunks: 1 }],
      ]);
      assert.equal((await store.documentHashes(collection, [])).size, 0);
    });

    test('documentIds lists every document exactly once; chunks returns every chunk intact', async () => {
      const points = (c: string) => [
        testPoint(c, 'x', 0, [1, 0, 0, 0], { metadata: { n: 1, flag: false, none: null, s: 'a' } }),
        testPoint(c, 'x', 1, [1, 1, 0, 0]),
        testPoint(c, 'y', 0, [0, 1, 0, 0]),
        testPoint(c, 'z', 0, [0, 0, 1, 0]),
      ];
      const collection = await collectionWith('listing', points);

      assert.deepEqual((await collect(store.documentIds(collection))).sort(), ['x', 'y', 'z']);
      const byKey = (a: { documentId: string; chunkIndex: number }, b: { documentId: string; chunkIndex: number }) =>
        a.documentId.localeCompare(b.documentId) || a.chunkIndex - b.chunkIndex;
      assert.deepEqual((await collect(store.chunks(collection))).sort(byKey), points(collection).map((p) => p.chunk).sort(byKey));
    });

    test('describe and listCollections report points and distinct documents', async () => {
      const collection = await collectionWith('describe', (c) => [
        testPoint(c, 'a', 0, [1, 0, 0, 0], { metadata: { lang: 'en', year: 2020 } }),
        testPoint(c, 'a', 1, [1, 0, 0, 0], { metadata: { lang: 'en', year: 2020 } }),
        testPoint(c, 'b', 0, [0, 1, 0, 0], { metadata: { year: 2021.5, draft: false, none: null } }),
      ], 'dot');

      const fields = { lang: 'keyword', year: 'float', draft: 'bool' };
      const expected = { name: collection, version: `${collection}__v1`, spec: testSpec(4, 'dot'), points: 3, documents: 2, fields };
      assert.deepEqual(withoutIndexing(await store.describe(collection)), expected);
      const listed = (await store.listCollections()).find((c) => c.name === collection);
      assert.deepEqual(withoutIndexing(listed), expected);
    });

    test('a vector of the wrong length is refused on write and on search', async () => {
      const collection = await collectionWith('dims', () => []);
      await rejectsWithCode(store.upsert(collection, [testPoint(collection, 'a', 0, [1, 2, 3])]), 'COLLECTION_MISMATCH', /3 dimensions/);
      await rejectsWithCode(store.search(collection, Float32Array.from([1, 2]), 3), 'COLLECTION_MISMATCH', /2 dimensions/);
    });

    test('dropCollection removes the collection; dropping it again is harmless', async () => {
      const collection = await collectionWith('drop', (c) => [testPoint(c, 'a', 0, [1, 0, 0, 0])]);

      await store.dropCollection(collection);
      await store.dropCollection(collection);

      assert.equal(await store.describe(collection), undefined);
      assert.ok(!(await store.listCollections()).some((c) => c.name === collection));
      await store.ensureCollection(collection, testSpec(8));
      assert.equal((await store.describe(collection))?.spec.dims, 8);
    });

    test('versions: a new version is built beside the live one, then the name switches to it in one step', async () => {
      const collection = await collectionWith('versions', (c) => [testPoint(c, 'old', 0, [1, 0, 0, 0])]);
      assert.deepEqual(await store.versions(collection), [`${collection}__v1`]);

      const next = await store.createVersion(collection, testSpec(4, 'dot'));
      assert.equal(next, `${collection}__v2`);
      await store.upsert(next, [testPoint(collection, 'new', 0, [0, 1, 0, 0]), testPoint(collection, 'new', 1, [0, 0, 1, 0])]);
      // Until the switch, the name still reads the live version.
      const before = await store.search(collection, Float32Array.from([0, 1, 0, 0]), 5);
      assert.deepEqual(before.map((h) => h.documentId), ['old']);

      const previous = await store.activateVersion(collection, next);
      assert.equal(previous, `${collection}__v1`);
      const afterSwitch = await store.describe(collection);
      assert.deepEqual({ version: afterSwitch?.version, spec: afterSwitch?.spec, points: afterSwitch?.points }, { version: next, spec: testSpec(4, 'dot'), points: 2 });
      assert.deepEqual((await store.search(collection, Float32Array.from([0, 1, 0, 0]), 1)).map((h) => h.documentId), ['new']);
      // The old version stays readable by its physical name until dropped; listings show the name only.
      assert.equal(await store.count(`${collection}__v1`), 1);
      const listed = (await store.listCollections()).filter((c) => c.name.startsWith(collection));
      assert.deepEqual(listed.map((c) => [c.name, c.version]), [[collection, next]]);

      await store.dropCollection(`${collection}__v1`);
      assert.deepEqual(await store.versions(collection), [next]);
      assert.equal(await store.count(collection), 2);
      await store.dropCollection(collection);
      assert.deepEqual(await store.versions(collection), []);
      assert.equal(await store.describe(collection), undefined);
    });

    test('activateVersion refuses a version that does not exist', async () => {
      const collection = await collectionWith('activate-missing', (c) => [testPoint(c, 'a', 0, [1, 0, 0, 0])]);
      await rejectsWithCode(store.activateVersion(collection, `${collection}__v9`), 'COLLECTION_MISSING');
      assert.equal((await store.describe(collection))?.version, `${collection}__v1`);
    });

    test('the shared checks refuse bad input by name, the same in every store: names, spec dims, k, fromChunk', async () => {
      const collection = await collectionWith('checks', (c) => [testPoint(c, 'a', 0, [1, 0, 0, 0])]);
      const vector = Float32Array.from([1, 0, 0, 0]);
      await rejectsWithCode(store.ensureCollection('../escape', testSpec(4)), 'BAD_REQUEST', /invalid collection name/);
      await rejectsWithCode(store.count('a b'), 'BAD_REQUEST', /invalid collection name/);
      await rejectsWithCode(store.search('a/b', vector, 3), 'BAD_REQUEST', /invalid collection name/);
      await rejectsWithCode(store.ensureCollection(freshName('dims'), testSpec(0)), 'BAD_REQUEST', /dims must be a positive integer, got 0/);
      await rejectsWithCode(store.createVersion(collection, testSpec(2.5)), 'BAD_REQUEST', /dims must be a positive integer, got 2\.5/);
      for (const k of [0, -1, 1.5]) {
        await rejectsWithCode(store.search(collection, vector, k), 'BAD_REQUEST', new RegExp(`k must be a positive integer, got ${k}`));
        await rejectsWithCode(store.searchBatch(collection, [vector], k), 'BAD_REQUEST', /k must be a positive integer/);
      }
      await rejectsWithCode(store.deleteDocument(collection, 'a', -1), 'BAD_REQUEST', /fromChunk must be a non-negative integer, got -1/);
      assert.deepEqual(await store.searchBatch(collection, [], 3), []);
      assert.deepEqual(await store.versions(collection), [`${collection}__v1`], 'nothing was created by the refused calls');
      assert.equal(await store.count(collection), 1);
    });

    describe('write versions: a document keeps its newest version only, whatever order writes arrive in', () => {
      /** `doc`'s chunks 0..count-1 written for `version`, their text naming the version. */
      const versionOf = (c: string, doc: string, version: number, count: number) =>
        Array.from({ length: count }, (_, i) => testPoint(c, doc, i, [1, i, 0, 0], { version, text: `${doc} v${version} chunk ${i}`, contentHash: `h${version}.${count}` }));
      const stored = async (c: string) =>
        (await collect(store.chunks(c))).map((ch) => `${ch.documentId}:${ch.chunkIndex}:${ch.text}`).sort();

      test('a stale write of a longer old version after a short new one is not kept: no chunk of it, outcome false', async () => {
        const c = await collectionWith('stale-long', (c) => versionOf(c, 'd', 2, 2));
        const outcome = await store.upsert(c, [...versionOf(c, 'd', 1, 5), ...versionOf(c, 'e', 1, 1)]);
        assert.deepEqual(outcome.stored, [false, false, false, false, false, true]);
        assert.deepEqual(await stored(c), ['d:0:d v2 chunk 0', 'd:1:d v2 chunk 1', 'e:0:e v1 chunk 0']);
        assert.deepEqual([...(await store.newerDocuments(c, ['d', 'e', 'x'], 1))], ['d']);
        assert.equal(await store.highestVersion(c), 2);
      });

      test('a newer, shorter version replaces an older, longer one whole: the old surplus chunks go too', async () => {
        const c = await collectionWith('newer-short', (c) => versionOf(c, 'd', 1, 5));
        assert.deepEqual((await store.upsert(c, versionOf(c, 'd', 3, 2))).stored, [true, true]);
        assert.deepEqual(await stored(c), ['d:0:d v3 chunk 0', 'd:1:d v3 chunk 1']);
      });

      test('two versions in one batch: the newer wins, whichever comes first', async () => {
        const c = await collectionWith('one-batch', () => []);
        const outcome = await store.upsert(c, [...versionOf(c, 'd', 5, 1), ...versionOf(c, 'd', 4, 3)]);
        assert.deepEqual(outcome.stored, [true, false, false, false]);
        assert.deepEqual(await stored(c), ['d:0:d v5 chunk 0']);
      });

      test("the backend's own write is conditional: an older point never replaces a newer one, even without the shared look-up", async () => {
        const c = await collectionWith('conditional', (c) => versionOf(c, 'd', 7, 1));
        const adapter = (store as unknown as { adapter: StoreAdapter }).adapter;
        const collection = await adapter.read(c);
        assert.ok(collection);
        await adapter.upsert(c, [...versionOf(c, 'd', 6, 2), ...versionOf(c, 'u', 6, 1)], collection);
        // The matched chunk 0 kept version 7; the unmatched chunk 1 and the new document were inserted.
        assert.deepEqual(await stored(c), ['d:0:d v7 chunk 0', 'd:1:d v6 chunk 1', 'u:0:u v6 chunk 0']);
        await adapter.upsert(c, versionOf(c, 'd', 8, 1), collection);
        assert.deepEqual((await stored(c))[0], 'd:0:d v8 chunk 0', 'a newer point replaces it');
      });

      test('deleteDocument up to a version spares chunks of newer versions', async () => {
        const c = await collectionWith('delete-up-to', (c) => [...versionOf(c, 'd', 2, 1), ...versionOf(c, 'e', 1, 2)]);
        await store.deleteDocument(c, 'd', 0, 1);
        await store.deleteDocument(c, 'e', 1, 1);
        assert.deepEqual(await stored(c), ['d:0:d v2 chunk 0', 'e:0:e v1 chunk 0']);
        await store.deleteDocument(c, 'd', 0, 2);
        assert.deepEqual(await stored(c), ['e:0:e v1 chunk 0']);
      });

      test('a claim raises the version of chunks still carrying the claimed hash: an older write cannot replace them any more', async () => {
        const c = await collectionWith('claim', (c) => [...versionOf(c, 'd', 1, 2), ...versionOf(c, 'e', 1, 1)]);
        await store.claimDocuments(c, new Map([['d', 'h1.2'], ['e', 'h0.1']]), 5);
        assert.equal(await store.highestVersion(c), 5);
        assert.deepEqual((await store.upsert(c, [...versionOf(c, 'd', 3, 1), ...versionOf(c, 'e', 3, 1)])).stored, [false, true], 'e was not claimed: its hash differs');
        assert.deepEqual(await stored(c), ['d:0:d v1 chunk 0', 'd:1:d v1 chunk 1', 'e:0:e v3 chunk 0']);
      });

      test('points from before versions count as version 0: readable, replaced by any versioned write, copied with their version', async () => {
        const c = await collectionWith('unversioned', (c) => [testPoint(c, 'old', 0, [1, 0, 0, 0]), testPoint(c, 'old', 1, [1, 1, 0, 0])]);
        assert.equal(await store.highestVersion(c), 0);
        assert.deepEqual([...(await store.newerDocuments(c, ['old'], 0))], []);
        assert.deepEqual((await store.upsert(c, versionOf(c, 'old', 1, 1))).stored, [true]);
        assert.deepEqual(await stored(c), ['old:0:old v1 chunk 0']);
        assert.deepEqual((await collect(store.points(c))).map((p) => p.version), [1]);
        assert.equal(await store.highestVersion(c), 1);
        assert.equal(await store.highestVersion(freshName('never-made')), 0);
      });
    });

    test('every operation on an unknown collection fails with COLLECTION_MISSING (describe says undefined)', async () => {
      const missing = freshName('missing');
      const vector = Float32Array.from([1, 0, 0, 0]);
      assert.equal(await store.describe(missing), undefined);
      await rejectsWithCode(store.upsert(missing, [testPoint(missing, 'a', 0, [1, 0, 0, 0])]), 'COLLECTION_MISSING');
      await rejectsWithCode(store.search(missing, vector, 3), 'COLLECTION_MISSING');
      await rejectsWithCode(store.count(missing), 'COLLECTION_MISSING');
      await rejectsWithCode(store.deleteDocument(missing, 'a'), 'COLLECTION_MISSING');
      await rejectsWithCode(store.documentHashes(missing, ['a']), 'COLLECTION_MISSING');
      await rejectsWithCode(collect(store.documentIds(missing)), 'COLLECTION_MISSING');
      await rejectsWithCode(collect(store.chunks(missing)), 'COLLECTION_MISSING');
      await rejectsWithCode(store.optimize(missing), 'COLLECTION_MISSING');
    });
  });
}

/** A collection's info without the indexing progress and placement only server stores report (see qdrant tests). */
function withoutIndexing(info: CollectionInfo | undefined): Omit<CollectionInfo, 'indexing' | 'placement'> | undefined {
  if (info === undefined) return undefined;
  const { indexing, placement, ...rest } = info;
  if (indexing !== undefined) assert.ok(['ready', 'optimizing', 'pending', 'deferred', 'failed'].includes(indexing.state));
  if (placement !== undefined) assert.deepEqual(placement, { shards: 1, replicationFactor: 1, writeConsistency: 1 }, "a store made without placement settings has Qdrant's defaults");
  return rest;
}
