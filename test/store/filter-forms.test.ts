// Every filter form against both stores, with the same points and the same expected answers
// (and the score floor each store records with a collection):
// ranges on numbers and ISO dates, `not`, and array metadata with "contains" semantics. Counts and
// searches must agree, so the predicate each store builds (Lance SQL, Qdrant filter) is exercised
// both in a scan and in a vector search.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Filter } from '../../src/contracts/filter.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { openApiProblems, startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { rejectsWithCode, testPoint, testSpec } from './store-fixtures.ts';

const query = Float32Array.from([1, 1, 1, 1]);

const points = (c: string) => [
  testPoint(c, 'a', 0, [1, 0, 0, 0], { metadata: { lang: 'en', year: 2019, rating: 1.5, date: '2019-06-01', tags: ['red', 'blue'], nums: [1, 2] } }),
  testPoint(c, 'b', 0, [0, 1, 0, 0], { metadata: { lang: 'de', year: 2020, rating: 3, date: '2020-01-01T10:00:00Z', tags: ['green'], nums: [3] } }),
  testPoint(c, 'c', 0, [0, 0, 1, 0], { metadata: { lang: 'en', year: 2021, rating: 4.5, date: '2021-03-01', tags: [] } }),
  testPoint(c, 'd', 0, [0, 0, 0, 1], { metadata: { year: 2023, date: '2023-12-31', tags: ['red'], code: '2020' } }),
  testPoint(c, 'e', 0, [1, 1, 0, 0], { metadata: { lang: 'fr', year: null, date: 'soon', code: 'x' } }),
];

/** [label, filter, the documents it must match]. */
const cases: Array<[string, Filter, string[]]> = [
  ['number range gte', { year: { gte: 2020 } }, ['b', 'c', 'd']],
  ['number range gte + lt', { year: { gte: 2020, lt: 2023 } }, ['b', 'c']],
  ['number range gt + lte', { year: { gt: 2019, lte: 2021 } }, ['b', 'c']],
  ['float range lt', { rating: { lt: 3 } }, ['a']],
  ['float range lte takes the bound', { rating: { lte: 3 } }, ['a', 'b']],
  ['date range: a day is midnight UTC (gte)', { date: { gte: '2020-01-01' } }, ['b', 'c', 'd']],
  ['date range: before a day', { date: { lt: '2020-01-01' } }, ['a']],
  ['date range: after a day includes that day later on', { date: { gt: '2020-01-01' } }, ['b', 'c', 'd']],
  ['date range: on or before a day ends at its midnight', { date: { lte: '2020-01-01' } }, ['a']],
  ['date range: a UTC date-time bound', { date: { gte: '2020-01-01T12:00:00Z' } }, ['c', 'd']],
  ['date range: both ends', { date: { gte: '2021-01-01', lt: '2023-01-01' } }, ['c']],
  ['array contains', { tags: 'red' }, ['a', 'd']],
  ['array contains any of', { tags: ['green', 'blue'] }, ['a', 'b']],
  ['array contains: a fragment of an element is not an element', { tags: 're' }, []],
  ['number array contains', { nums: 2 }, ['a']],
  ['not: points without the field pass', { not: { lang: 'en' } }, ['b', 'd', 'e']],
  ['not on an array', { not: { tags: 'red' } }, ['b', 'c', 'e']],
  ['not a range', { not: { year: { gte: 2021 } } }, ['a', 'b', 'e']],
  ['a field AND a not', { lang: 'en', not: { year: 2019 } }, ['c']],
  ['not of several fields: not (both)', { not: { lang: 'en', year: 2019 } }, ['b', 'c', 'd', 'e']],
  ['not not', { not: { not: { lang: 'de' } } }, ['b']],
  ['a range and equality together', { year: { lt: 2022 }, tags: 'red' }, ['a']],
];

const refusals: Array<[Filter, RegExp]> = [
  [{ year: { gte: '2020-01-01' } }, /filter\.year: .* can never match: "year" is recorded as integer/],
  [{ lang: { gte: 5 } }, /filter\.lang: .* can never match: "lang" is recorded as keyword .*ISO dates/],
  [{ year: { gte: 'soon' } }, /filter\.year\.gte must be a number or an ISO 8601 date/],
  [{ year: { from: 2020 } } as unknown as Filter, /filter\.year has unknown operator "from"/],
  [{ not: {} }, /filter\.not must be a non-empty filter object/],
  [{ not: { typo: 1 } }, /unknown filter field "typo"/],
  [{ constructor: 'x' }, /unknown filter field "constructor"/],
  [JSON.parse('{"not":'.repeat(17) + '{"lang":"en"}' + '}'.repeat(17)) as Filter, /"not" is nested more than 16 deep/],
];

function describeStore(name: string, open: () => Promise<{ store: VectorStore; close(): Promise<void> }>): void {
  describe(`filter forms: ${name}`, () => {
    let store: VectorStore;
    let close: () => Promise<void>;
    const collection = `filter-forms-${process.pid}-${Date.now().toString(36)}`;
    before(async () => {
      ({ store, close } = await open());
      await store.ensureCollection(collection, testSpec(4));
      await store.upsert(collection, points(collection));
    });
    after(async () => {
      await store.dropCollection(collection).catch(() => undefined);
      await close();
    });

    for (const [label, filter, expected] of cases) {
      test(`${label}: ${JSON.stringify(filter)} matches ${expected.join(', ') || 'nothing'}, in count and search`, async () => {
        assert.equal(await store.count(collection, filter), expected.length);
        const hits = await store.search(collection, query, 10, filter);
        assert.deepEqual(hits.map((h) => h.documentId).sort(), expected);
      });
    }

    test('arrays come back as arrays, and record the type of their elements', async () => {
      const [hit] = await store.search(collection, Float32Array.from([1, 0, 0, 0]), 1, { documentId: 'a' });
      assert.deepEqual(hit.metadata.tags, ['red', 'blue']);
      assert.deepEqual(hit.metadata.nums, [1, 2]);
      const fields = (await store.describe(collection))?.fields;
      assert.equal(fields?.tags, 'keyword');
      assert.equal(fields?.nums, 'integer');
    });

    test('a recorded score floor is described with the collection, and a second record replaces it', async () => {
      assert.equal((await store.describe(collection))?.scoreFloor, undefined);
      await store.recordScoreFloor(collection, { value: 0.5, percentile: 95, pairs: 30, source: 'a.csv' });
      await store.recordScoreFloor(collection, { value: 0.3688, percentile: 95, pairs: 242, source: 'sts-dev.csv' });
      assert.deepEqual((await store.describe(collection))?.scoreFloor, { value: 0.3688, percentile: 95, pairs: 242, source: 'sts-dev.csv' });
      await rejectsWithCode(store.recordScoreFloor(`${collection}-missing`, { value: 0.5, percentile: 95, pairs: 30, source: 'a.csv' }), 'COLLECTION_MISSING');
    });

    test('forms that can never match are refused by name', async () => {
      for (const [filter, message] of refusals) {
        await rejectsWithCode(store.count(collection, filter), 'BAD_REQUEST', message);
        await rejectsWithCode(store.search(collection, query, 10, filter), 'BAD_REQUEST', message);
      }
    });
  });
}

describeStore('local (LanceDB)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-filter-forms-'));
  const store = openLocalStore(dir);
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeStore('qdrant (stand-in)', async () => {
  const standin: QdrantStandin = await startQdrantStandin({ strict: true });
  const store = openQdrantStore({ url: standin.url });
  return {
    store,
    close: async () => {
      await store.close();
      const problems = await openApiProblems(standin);
      await standin.stop();
      assert.deepEqual(problems, [], 'every request matches the Qdrant OpenAPI document');
    },
  };
});
