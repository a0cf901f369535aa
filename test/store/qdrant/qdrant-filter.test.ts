// The Qdrant filter for each kind of embedline filter, as JSON. The stand-in proves most of these
// end to end; booleans it cannot (see the report in qdrant.test.ts), so their shape is pinned here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { payloadKey, qdrantFilter } from '../../../src/store/qdrant/qdrant-filter.ts';

test('no filter is no Qdrant filter', () => {
  assert.equal(qdrantFilter(undefined), undefined);
  assert.equal(qdrantFilter({}), undefined);
});

test('documentId is a top-level payload key, metadata fields live under metadata, odd keys are quoted', () => {
  assert.equal(payloadKey('documentId'), 'documentId');
  assert.equal(payloadKey('lang'), 'metadata.lang');
  assert.equal(payloadKey('first-name_2'), 'metadata.first-name_2');
  assert.equal(payloadKey('a b'), 'metadata."a b"');
  assert.equal(payloadKey('v1.2'), 'metadata."v1.2"');
  assert.throws(() => payloadKey('say "hi"'), { code: 'BAD_REQUEST' });
});

test('scalars: strings, integers and booleans match by value; fractions are a one-point range', () => {
  assert.deepEqual(qdrantFilter({ lang: 'en', year: 2020, draft: false, rating: 4.5 }), {
    must: [
      { key: 'metadata.lang', match: { value: 'en' } },
      { key: 'metadata.year', match: { value: 2020 } },
      { key: 'metadata.draft', match: { value: false } },
      { key: 'metadata.rating', range: { gte: 4.5, lte: 4.5 } },
    ],
  });
  assert.throws(() => qdrantFilter({ rating: Number.NaN }), { code: 'BAD_REQUEST' });
});

test('lists: all strings or all integers use match.any (without repeats); other mixes are a should', () => {
  assert.deepEqual(qdrantFilter({ documentId: ['a', 'b', 'a'] }), { must: [{ key: 'documentId', match: { any: ['a', 'b'] } }] });
  assert.deepEqual(qdrantFilter({ year: [2020, 2021] }), { must: [{ key: 'metadata.year', match: { any: [2020, 2021] } }] });
  assert.deepEqual(qdrantFilter({ v: ['x', 1, true, 0.5] }), {
    must: [
      {
        should: [
          { key: 'metadata.v', match: { value: 'x' } },
          { key: 'metadata.v', match: { value: 1 } },
          { key: 'metadata.v', match: { value: true } },
          { key: 'metadata.v', range: { gte: 0.5, lte: 0.5 } },
        ],
      },
    ],
  });
});

test("the caller's own conditions are ANDed after the filter's", () => {
  const firstChunk = { key: 'chunkIndex', match: { value: 0 } };
  assert.deepEqual(qdrantFilter({ lang: 'en' }, [firstChunk]), { must: [{ key: 'metadata.lang', match: { value: 'en' } }, firstChunk] });
});

test('a field recorded as float is matched by range, even for a whole number (a float index serves no match)', () => {
  assert.deepEqual(qdrantFilter({ rating: 4, year: 2020 }, [], { rating: 'float', year: 'integer' }), {
    must: [
      { key: 'metadata.rating', range: { gte: 4, lte: 4 } },
      { key: 'metadata.year', match: { value: 2020 } },
    ],
  });
  assert.deepEqual(qdrantFilter({ rating: [1, 2] }, [], { rating: 'float' }), {
    must: [{ should: [{ key: 'metadata.rating', range: { gte: 1, lte: 1 } }, { key: 'metadata.rating', range: { gte: 2, lte: 2 } }] }],
  });
});

test('ranges are `range` conditions, a day bound becomes its midnight UTC; not is a must_not holding the inner filter', () => {
  assert.deepEqual(qdrantFilter({ year: { gte: 2020, lt: 2024 }, date: { lte: '2024-03-01' }, not: { tags: 'red', at: { gt: '2024-01-01T10:00:00Z' } } }), {
    must: [
      { key: 'metadata.year', range: { gte: 2020, lt: 2024 } },
      { key: 'metadata.date', range: { lte: '2024-03-01T00:00:00Z' } },
    ],
    must_not: [{ must: [{ key: 'metadata.tags', match: { value: 'red' } }, { key: 'metadata.at', range: { gt: '2024-01-01T10:00:00Z' } }] }],
  });
  assert.deepEqual(qdrantFilter({ not: { lang: 'en' } }), { must_not: [{ must: [{ key: 'metadata.lang', match: { value: 'en' } }] }] });
  assert.throws(() => qdrantFilter({ documentId: { gte: 'a' } }), /document ids take no range/);
});
