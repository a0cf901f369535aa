// Metadata fields for the page's filter inputs, sampled from stored chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chunk, Metadata } from '../../src/contracts/chunk.ts';
import { sampleMetadataFields } from '../../src/search/metadata-fields.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';

function storeOf(metadata: Metadata[]): VectorStore & { read: () => number } {
  let read = 0;
  return {
    read: () => read,
    async *chunks() {
      for (const m of metadata) {
        read++;
        yield { metadata: m } as Chunk;
      }
    },
  } as unknown as VectorStore & { read: () => number };
}

test('fields are named with their type and sorted distinct values', async () => {
  const store = storeOf([
    { lang: 'en', year: 2020, draft: false },
    { lang: 'de', year: 2019, draft: true, note: null },
    { lang: 'en', year: 2021 },
  ]);
  assert.deepEqual(await sampleMetadataFields(store, 'docs'), [
    { name: 'draft', type: 'boolean', values: [false, true] },
    { name: 'lang', type: 'string', values: ['de', 'en'] },
    { name: 'year', type: 'number', values: [2019, 2020, 2021], min: 2019, max: 2021 },
  ]);
});

test('a field with many values lists none, and one with several types is mixed', async () => {
  const store = storeOf(Array.from({ length: 60 }, (_, i) => ({ title: `t${i}`, code: i % 2 === 0 ? 'a' : 1 })));
  assert.deepEqual(await sampleMetadataFields(store, 'docs'), [
    { name: 'code', type: 'mixed', values: [1, 'a'] },
    { name: 'title', type: 'string', values: [] },
  ]);
});

test('an array field lists its elements and says it is a list', async () => {
  const store = storeOf([{ tags: ['red', 'blue'] }, { tags: ['red'] }, { tags: [] }]);
  assert.deepEqual(await sampleMetadataFields(store, 'docs'), [{ name: 'tags', type: 'string', values: ['blue', 'red'], list: true }]);
});

test('only the sample is read', async () => {
  const store = storeOf(Array.from({ length: 100 }, () => ({ a: 'x' })));
  await sampleMetadataFields(store, 'docs', 10);
  assert.equal(store.read(), 10);
});
