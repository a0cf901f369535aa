// SearchService, the one search path, over a counting fake store and a counting fake model: k and
// the queries are checked once, before anything is admitted, described or embedded, with the
// messages the CLI and HTTP print; one query and a list take the same path; without serving options
// a list is one ONNX run and one store call; with them, concurrent queries share runs (tokenized
// first, continuous batching) and store calls, repeated
// queries come from the cache until the collection changes, a missing collection fails before
// anything is embedded, and the server's one admission queue bounds searches and embedding requests
// together. (The real model and store: test/serve/api.test.ts, test/cli/search-command.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionSpec } from '../../src/contracts/collection-spec.ts';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { MIN_BATCH } from '../../src/batching/run-slots.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { AdmissionQueue } from '../../src/search/admission-queue.ts';
import { FRESH_MS } from '../../src/search/collection-catalog.ts';
import { EmbeddingService } from '../../src/serve/embedding-service.ts';
import type { EmbeddingTarget } from '../../src/serve/embedding-targets.ts';
import { SearchService, type QueryModels, type ServingOptions } from '../../src/search/search-service.ts';
import type { CollectionInfo, VectorStore } from '../../src/store/vector-store.ts';
import { rejectsWithCode, testSpec } from '../store/store-fixtures.ts';

// Not normalised, so a query vector's first value (its length) reaches the fake store as it is.
const spec = testSpec(2, 'dot');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** The hit a fake store returns for a query vector: its documentId names the query's length. */
function hitFor(vector: Float32Array, k: number): SearchHit {
  return { id: `p${k}`, score: 1, documentId: `len-${vector[0]}`, chunkIndex: 0, text: 'chunk', start: 3, end: 8, metadata: { k } };
}

/** A store with one collection, 'docs', whose point count the test can change; counts every call. */
function fakeStore(state: { points: number }) {
  const calls = { describe: 0, search: [] as number[], searchBatch: [] as number[] };
  const store = {
    async describe(name: string): Promise<CollectionInfo | undefined> {
      calls.describe++;
      return name === 'docs' ? ({ name, spec, points: state.points, documents: state.points } as CollectionInfo) : undefined;
    },
    async listCollections() {
      return [{ name: 'docs', spec, points: state.points, documents: state.points }];
    },
    async search(_name: string, vector: Float32Array, k: number) {
      calls.search.push(k);
      return [hitFor(vector, k)];
    },
    // `search` counts the k of every vector searched, in a batch or alone; `searchBatch` the batches' sizes.
    async searchBatch(_name: string, vectors: readonly Float32Array[], k: number) {
      calls.searchBatch.push(vectors.length);
      calls.search.push(...vectors.map(() => k));
      return vectors.map((v) => [hitFor(v, k)]);
    },
  };
  return { store: store as unknown as VectorStore, calls };
}

/** A model whose runs take a while (so later queries queue up, even on a loaded machine) and are recorded. */
function fakeModels(parallelRuns = 1) {
  const runs: string[][] = [];
  const slowly = () => new Promise((r) => setTimeout(r, 20));
  // A query's tokens are its characters' codes, so a run of token ids records the texts it embeds.
  const embedder = {
    info: { checksum: 'sha256-test' },
    maxBatchTokens: 512,
    tokenize: (texts: readonly string[]) => texts.map((text) => Array.from(text, (c) => c.charCodeAt(0))),
    async embed(queries: readonly string[]) {
      runs.push([...queries]);
      await slowly();
      return { vectors: queries.map((q) => Float32Array.of(q.length, 1)) };
    },
    async embedTokenIds(sequences: number[][]) {
      runs.push(sequences.map((ids) => String.fromCharCode(...ids)));
      await slowly();
      return { vectors: sequences.map((ids) => Float32Array.of(ids.length, 1)) };
    },
  } as unknown as Embedder;
  const models: QueryModels = { parallelRuns, forSpec: async (_collection: string, _spec: CollectionSpec) => embedder };
  return { models, runs };
}

function setup(serving?: Partial<ServingOptions>, parallelRuns = 1) {
  const state = { points: 10 };
  const { store, calls } = fakeStore(state);
  const { models, runs } = fakeModels(parallelRuns);
  const options = serving && { batchWindowMs: 5, cacheSize: 0, ...serving };
  return { state, calls, runs, search: new SearchService(store, models, options) };
}

test('k is checked once, before the store or the model is asked, with the one message; the store gets the checked k', async () => {
  for (const serving of [undefined, { cacheSize: 10 }]) {
    const { search, calls, runs } = setup(serving);
    for (const k of [0, 1001, 2.5]) {
      await rejectsWithCode(search.search('docs', 'x', { k }), 'BAD_REQUEST', new RegExp(`^k must be an integer from 1 to 1000, got ${k}$`));
    }
    await rejectsWithCode(search.search('docs', ['a', 'b'], { k: 0 }), 'BAD_REQUEST', /^k must be an integer from 1 to 1000, got 0$/);
    assert.equal(calls.describe, 0, 'nothing described for a bad k');
    assert.equal(runs.length, 0, 'nothing embedded for a bad k');
    await search.search('docs', 'x');
    await search.search('docs', 'x', { k: 1000 });
    assert.deepEqual(calls.search, [10, 1000], 'k defaults to 10 and reaches the store as given');
  }
});

test('a blank query is refused with the same messages as before: "query is empty", "query N is empty" in a list', async () => {
  const { search, calls } = setup();
  await rejectsWithCode(search.search('docs', '  '), 'BAD_REQUEST', /^query is empty$/);
  await rejectsWithCode(search.search('docs', ['fine', '']), 'BAD_REQUEST', /^query 1 is empty$/);
  assert.equal(calls.describe, 0);
});

test('hits come back as the store returns them, start and end included; one query equals a one-item list', async () => {
  const { search } = setup();
  const one = await search.search('docs', 'abc', { k: 3 });
  assert.deepEqual(one, { hits: [{ id: 'p3', score: 1, documentId: 'len-3', chunkIndex: 0, text: 'chunk', start: 3, end: 8, metadata: { k: 3 } }], noCloseMatch: false });
  assert.deepEqual(await search.search('docs', ['abc'], { k: 3 }), [one]);
});

test('without serving options (CLI, library) a list of queries is one ONNX run and one store call, and the collection is read every call', async () => {
  const { search, runs, calls } = setup();
  const results = await search.search('docs', ['a', 'bb', 'ccc']);
  assert.deepEqual(runs, [['a', 'bb', 'ccc']]);
  assert.deepEqual(calls.searchBatch, [3]);
  assert.deepEqual(results.map(({ hits }) => hits[0].documentId), ['len-1', 'len-2', 'len-3']);
  await search.search('docs', 'a');
  assert.equal(calls.describe, 2, 'no description is reused outside a server (a reindex shows at once)');
});

test('queries of concurrent callers share one run and one store call, each getting its own hits', async () => {
  // A linger longer than any test: runs start on MIN_BATCH arrivals or a finished run, never on the clock.
  const { search, runs, calls } = setup({ batchWindowMs: 60_000 });
  const queries = Array.from({ length: MIN_BATCH + 2 }, (_, i) => 'q'.repeat(i + 1));
  const results = await Promise.all(queries.map((q) => search.search('docs', q)));
  // The first query waits (others are under way) until MIN_BATCH have come: one run and one store
  // call for those; the two after them wait for that run and share the next.
  assert.deepEqual(runs, [queries.slice(0, MIN_BATCH), queries.slice(MIN_BATCH)]);
  assert.deepEqual(calls.searchBatch, [MIN_BATCH, 2]);
  assert.deepEqual(
    results.map(({ hits }) => hits[0].documentId),
    queries.map((q) => `len-${q.length}`),
  );
});

test('a query that finds nothing in flight is embedded at once, not after the window', async () => {
  const { search, runs } = setup({ batchWindowMs: 60_000 });
  const pending = search.search('docs', 'alone');
  // Let the catalog lookup settle; a query waiting out a one-minute window would not be embedded yet.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(runs, [['alone']]);
  await pending;
});

test('queries that arrive while a run is in flight join the next run a slot takes', async () => {
  const { search, runs } = setup({ batchWindowMs: 5 });
  const first = search.search('docs', 'a');
  await new Promise((r) => setImmediate(r));
  const later = ['bb', 'ccc'].map((q) => search.search('docs', q));
  await Promise.all([first, ...later]);
  assert.deepEqual(runs, [['a'], ['bb', 'ccc']]);
});

test('with two parallel runs, a burst is shared out between them in runs of at least MIN_BATCH', async () => {
  const { search, runs } = setup({ batchWindowMs: 60_000 }, 2);
  const queries = Array.from({ length: 2 * MIN_BATCH }, (_, i) => `q${i}`);
  await Promise.all(queries.map((q) => search.search('docs', q)));
  assert.deepEqual(runs, [queries.slice(0, MIN_BATCH), queries.slice(MIN_BATCH)]);
});

test('with a window of 0 every query is embedded on its own', async () => {
  const { search, runs } = setup({ batchWindowMs: 0 });
  await Promise.all(['a', 'bb', 'ccc'].map((q) => search.search('docs', q)));
  assert.equal(runs.length, 3);
});

test('a repeated query (same k, filter in any key order) comes from the cache, and the observer counts hits and misses', async () => {
  const seen = { hits: 0, misses: 0, embedded: 0, searched: 0 };
  const observer = {
    cache: (hit: boolean) => (hit ? seen.hits++ : seen.misses++),
    embedded: (n: number) => (seen.embedded += n),
    searched: () => seen.searched++,
  };
  const { search, runs, calls } = setup({ cacheSize: 10, observer });
  await search.search('docs', 'stars', { k: 3, filter: { a: 1, b: ['x', 'y'] } });
  await search.search('docs', 'stars', { k: 3, filter: { b: ['y', 'x'], a: 1 } });
  assert.equal(runs.length, 1);
  assert.equal(calls.search.length, 1);
  await search.search('docs', 'stars', { k: 4, filter: { a: 1, b: ['x', 'y'] } });
  assert.equal(calls.search.length, 2, 'another k is another query');
  // In a list only the queries the cache lacks are embedded and searched.
  const results = await search.search('docs', ['stars', 'moon'], { k: 4, filter: { a: 1, b: ['x', 'y'] } });
  assert.deepEqual(runs.at(-1), ['moon']);
  assert.deepEqual(results.map(({ hits }) => hits[0].documentId), ['len-5', 'len-4']);
  assert.deepEqual(seen, { hits: 2, misses: 3, embedded: 3, searched: 3 });
});

test('the cache stops answering once the collection point count changes', async () => {
  let now = 0;
  const { state, search, calls } = setup({ cacheSize: 10, now: () => now });
  await search.search('docs', 'stars');
  state.points = 11;
  await search.search('docs', 'stars');
  assert.equal(calls.search.length, 1, 'the count is re-read at most once per FRESH_MS');
  now += FRESH_MS;
  await search.search('docs', 'stars');
  assert.equal(calls.search.length, 2);
});

test('a missing collection fails with COLLECTION_MISSING before anything is embedded', async () => {
  for (const serving of [undefined, {}]) {
    const { search, runs } = setup(serving);
    await rejectsWithCode(search.search('nope', 'stars'), 'COLLECTION_MISSING', /^collection "nope" does not exist$/);
    assert.equal(runs.length, 0);
  }
});

test('warmUp runs each collection’s model once, outside the metrics', async () => {
  let embedded = 0;
  const { search, runs } = setup({ observer: { cache: () => undefined, searched: () => undefined, embedded: () => embedded++ } });
  await search.warmUp();
  assert.deepEqual(runs, [['warm-up']]);
  assert.equal(embedded, 0);
});

test('searches and embedding requests share the server’s admission queue: past its bound either is refused OVERLOADED', async () => {
  const admission = new AdmissionQueue({ concurrency: 1, maxQueued: 0 });
  const { search } = setup({ admission });
  const held = gate();
  const embedder = {
    info: { checksum: 'model', prompts: { prompts: {} } },
    maxBatchTokens: 512,
    tokenize: (texts: readonly string[]) => texts.map((t) => [101, t.length, 102]),
    async embedTokenIds(sequences: number[][]) {
      await held.opened;
      return { vectors: sequences.map(() => Float32Array.of(3, 4)) };
    },
  } as unknown as Embedder;
  const target: EmbeddingTarget = { embedder, pooling: 'mean', normalize: true };
  const embeddings = new EmbeddingService({ runs: search.runs!, parallelRuns: 1, admission, maxRequestTokens: 1000 });

  const embedding = embeddings.embed(target, ['hello'], { truncate: false });
  assert.deepEqual(admission.load, { running: 1, waiting: 0 });
  await rejectsWithCode(search.search('docs', 'stars'), 'OVERLOADED', /^the server is busy \(1 requests running, 0 waiting\); retry shortly$/);
  // A bad k is still a 400, not a 503: checks come before admission.
  await rejectsWithCode(search.search('docs', 'stars', { k: 0 }), 'BAD_REQUEST', /^k must be/);
  held.open();
  assert.deepEqual((await embedding).vectors, [Float32Array.of(0.6, 0.8)]);

  const searching = search.search('docs', 'stars');
  await rejectsWithCode(embeddings.embed(target, ['again'], { truncate: false }), 'OVERLOADED');
  assert.equal((await searching).hits[0].documentId, 'len-5');
  assert.deepEqual(admission.load, { running: 0, waiting: 0 });
});
