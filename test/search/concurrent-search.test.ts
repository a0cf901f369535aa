// ConcurrentSearch with a counting fake searcher: concurrent queries share one embedding call,
// the window can be turned off, repeated queries come from the cache until the collection changes,
// and a missing collection fails before anything is embedded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionSpec } from '../../src/contracts/collection-spec.ts';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { CollectionCatalog, FRESH_MS } from '../../src/search/collection-catalog.ts';
import { ConcurrentSearch, type QuerySearcher } from '../../src/search/concurrent-search.ts';
import type { CollectionInfo, VectorStore } from '../../src/store/vector-store.ts';
import { rejectsWithCode, testSpec } from '../store/store-fixtures.ts';

const spec = testSpec(2);

/** A store that only describes: one collection, whose point count the test can change. */
function fakeStore(state: { points: number }): VectorStore {
  const describe = async (name: string): Promise<CollectionInfo | undefined> => (name === 'docs' ? { name, spec, points: state.points, documents: state.points } : undefined);
  return { describe } as unknown as VectorStore;
}

function countingSearcher() {
  const embedCalls: string[][] = [];
  let searches = 0;
  const searcher: QuerySearcher = {
    async embedForSpec(_collection: string, _spec: CollectionSpec, queries: readonly string[]) {
      embedCalls.push([...queries]);
      await new Promise((r) => setTimeout(r, 5)); // an ONNX run takes a while; later queries queue up
      return queries.map((q) => Float32Array.of(q.length, 1));
    },
    async searchVector(_collection, vector) {
      searches++;
      return [{ id: 'p', score: 1, documentId: `len-${vector[0]}`, chunkIndex: 0, text: '', start: 0, end: 0, metadata: {} } satisfies SearchHit];
    },
  };
  return { searcher, embedCalls, searches: () => searches };
}

function setup(options: { batchWindowMs?: number; parallelRuns?: number; cacheSize?: number; now?: () => number } = {}) {
  const state = { points: 10 };
  const counting = countingSearcher();
  const catalog = new CollectionCatalog(fakeStore(state), options.now);
  const search = new ConcurrentSearch(counting.searcher, catalog, {
    batchWindowMs: options.batchWindowMs ?? 5,
    parallelRuns: options.parallelRuns ?? 1,
    cacheSize: options.cacheSize ?? 0,
  });
  return { state, search, ...counting };
}

test('queries that arrive while one is embedding share the next call, each getting its own hits', async () => {
  const { search, embedCalls } = setup({ batchWindowMs: 5 });
  const queries = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
  const results = await Promise.all(queries.map((q) => search.search('docs', q)));
  assert.deepEqual(embedCalls, [['a'], ['bb', 'ccc', 'dddd', 'eeeee']]);
  assert.deepEqual(results.map((hits) => hits[0].documentId), ['len-1', 'len-2', 'len-3', 'len-4', 'len-5']);
});

test('a query that finds nothing in flight is embedded at once, not after the window', async () => {
  const { search, embedCalls } = setup({ batchWindowMs: 60_000 });
  const pending = search.search('docs', 'alone');
  // Let the catalog lookup settle; a query waiting out a one-minute window would not be embedded yet.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(embedCalls, [['alone']]);
  await pending;
});

test('while a query is in flight, a second run slot waits the window to gather company', async () => {
  const { search, embedCalls } = setup({ batchWindowMs: 2, parallelRuns: 2 });
  const first = search.search('docs', 'a');
  await new Promise((r) => setImmediate(r));
  // 'a' runs alone on slot 1. 'bb' finds slot 2 idle but 'a' in flight, so slot 2 waits the window;
  // 'ccc' queues behind 'a' (the least busy slot, first on a tie) and 'dddd' joins 'bb'. Without
  // the window 'bb' would have run alone and 'dddd' after it: four calls instead of three.
  await Promise.all(['bb', 'ccc', 'dddd'].map((q) => search.search('docs', q)));
  await first;
  assert.deepEqual(embedCalls.map((c) => c.join(',')).sort(), ['a', 'bb,dddd', 'ccc']);
});

test('with a window of 0 every query is embedded on its own', async () => {
  const { search, embedCalls } = setup({ batchWindowMs: 0 });
  await Promise.all(['a', 'bb', 'ccc'].map((q) => search.search('docs', q)));
  assert.equal(embedCalls.length, 3);
});

test('a repeated query (same k, filter in any key order) comes from the cache', async () => {
  const { search, embedCalls, searches } = setup({ cacheSize: 10 });
  await search.search('docs', 'stars', { k: 3, filter: { a: 1, b: ['x', 'y'] } });
  await search.search('docs', 'stars', { k: 3, filter: { b: ['y', 'x'], a: 1 } });
  assert.equal(embedCalls.length, 1);
  assert.equal(searches(), 1);
  await search.search('docs', 'stars', { k: 4, filter: { a: 1, b: ['x', 'y'] } });
  assert.equal(searches(), 2, 'another k is another query');
});

test('the cache stops answering once the collection point count changes', async () => {
  let now = 0;
  const { state, search, searches } = setup({ cacheSize: 10, now: () => now });
  await search.search('docs', 'stars');
  state.points = 11;
  await search.search('docs', 'stars');
  assert.equal(searches(), 1, 'the count is re-read at most once per FRESH_MS');
  now += FRESH_MS;
  await search.search('docs', 'stars');
  assert.equal(searches(), 2);
});

test('a missing collection fails with COLLECTION_MISSING before anything is embedded', async () => {
  const { search, embedCalls } = setup();
  await rejectsWithCode(search.search('nope', 'stars'), 'COLLECTION_MISSING', /"nope"/);
  assert.equal(embedCalls.length, 0);
});

test('a blank query or a k out of range is refused', async () => {
  const { search } = setup();
  await rejectsWithCode(search.search('docs', '  '), 'BAD_REQUEST', /query is empty/);
  await rejectsWithCode(search.search('docs', 'x', { k: 1001 }), 'BAD_REQUEST', /k must be/);
});

test('with two parallel runs, queries spread over both and still share batches', async () => {
  const { search, embedCalls } = setup({ batchWindowMs: 5, parallelRuns: 2 });
  await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((q) => search.search('docs', q)));
  // 'a' finds nothing in flight and starts at once; the rest alternate between the two slots.
  assert.deepEqual(embedCalls.map((c) => c.join(',')).sort(), ['a', 'b,d,f', 'c,e']);
});
