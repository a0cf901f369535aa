// Semantic search over a collection, the one path every caller takes: `embedline search` (one
// query or a --queries file), `embedline eval retrieval`, the library's `search` and every HTTP
// search route call SearchService.search. One call checks k and the queries, then (inside the
// server's admission bound, when it has one) reads the collection's spec, answers what it can from
// the query cache, embeds the rest with the collection's own model and pooling, and asks the store.
//
// Serving options turn on what only a long-running server needs, each owned here once: continuous
// batching of concurrent callers' queries into shared ONNX runs (query-runs.ts, which the server's
// embedding endpoints share) and of their store searches into batch calls (store-batches.ts), the
// query cache, the admission bound (OVERLOADED) and the timings for metrics. Without them (CLI,
// library) a call's queries are embedded in one run, and the collection is described afresh on
// every call.
import { l2Normalize } from '../embed/vector-math.ts';
import { blankness, blanknessReason } from '../contracts/blank-text.ts';
import { specPrompts, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError } from '../errors.ts';
import { inSpan } from '../telemetry/tracing.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { parseSearchMode, type SearchMode } from '../contracts/search-mode.ts';
import { AdmissionQueue } from './admission-queue.ts';
import { CollectionCatalog, FRESH_MS } from './collection-catalog.ts';
import type { CollectionModels } from './collection-models.ts';
import { QueryCache, type CachedQuery } from './query-cache.ts';
import { QueryRuns } from './query-runs.ts';
import { StoreBatches } from './store-batches.ts';

export interface SearchOptions {
  /** dense (default), keyword or hybrid: see contracts/search-mode.ts; scoreThreshold is for dense only. */
  mode?: SearchMode;
  k?: number;
  filter?: Filter;
  scoreThreshold?: number;
  /**
   * The query prompt the caller means ("" for none). Queries are always embedded with the prompt the
   * collection recorded; one asked for that differs is refused (COLLECTION_MISMATCH), as another
   * pooling would be: the vectors would not compare with the chunks'.
   */
  queryPrompt?: string;
}

export const MAX_K = 1000;
export const DEFAULT_K = 10;

/** Timings for metrics; the HTTP layer turns them into Prometheus series. */
export interface SearchObserver {
  embedded(queries: number, seconds: number): void;
  searched(seconds: number): void;
  cache(hit: boolean): void;
}

/** What a search server adds to a search; see the header. */
export interface ServingOptions {
  /**
   * 0: every query gets its own ONNX run (the benchmark's baseline). Otherwise continuous batching
   * (a freed run slot takes every query waiting), and a run of fewer than MIN_BATCH queries on idle
   * slots waits up to this long for company while other searches are under way.
   */
  batchWindowMs: number;
  /** Cached results (0: no cache). */
  cacheSize: number;
  cacheTtlMs?: number;
  /** Bounds the searches running and waiting; past both a search is refused (OVERLOADED). Unbounded if unset. */
  admission?: AdmissionQueue;
  observer?: SearchObserver;
  /** The clock that ages the collection facts kept for FRESH_MS (tests move it). */
  now?: () => number;
}

/** What SearchService needs of CollectionModels (narrow, so tests can count the embedding runs). */
export type QueryModels = Pick<CollectionModels, 'forSpec' | 'parallelRuns'>;

/** The k a search uses (DEFAULT_K if unset); BAD_REQUEST unless 1..MAX_K. Checked once, before admission: a bad k is a 400 even on a busy server. */
function checkK(k = DEFAULT_K): number {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new EmbedlineError('BAD_REQUEST', `k must be an integer from 1 to ${MAX_K}, got ${k}`);
  return k;
}

/** The queries of a search call: a string or an array of strings, each with a visible character. */
function checkQueries(input: unknown): readonly string[] {
  if (typeof input !== 'string' && !Array.isArray(input)) {
    throw new EmbedlineError('BAD_REQUEST', `query must be a string or an array of strings, got ${input === null ? 'null' : typeof input}`);
  }
  const queries: readonly unknown[] = typeof input === 'string' ? [input] : input;
  queries.forEach((q, i) => {
    const which = `query ${queries.length > 1 ? `${i} ` : ''}`;
    if (typeof q !== 'string') throw new EmbedlineError('BAD_REQUEST', `${which}must be a string, got ${q === null ? 'null' : typeof q}`);
    const blank = blankness(q);
    if (blank !== undefined) throw new EmbedlineError('BAD_REQUEST', `${which}is ${blank === 'control' ? `blank (${blanknessReason(blank)})` : 'empty'}`);
  });
  return queries as readonly string[];
}

/** Refuses a query prompt other than the one the collection's chunks were embedded to match. */
function checkQueryPrompt(collection: string, spec: CollectionSpec, asked: string | undefined): void {
  const recorded = specPrompts(spec).query;
  if (asked === undefined || asked === recorded) return;
  throw new EmbedlineError(
    'COLLECTION_MISMATCH',
    `collection "${collection}" was built differently: queryPrompt: collection has ${JSON.stringify(recorded)}, requested ${JSON.stringify(asked)}; search it without --query-prompt (its queries get ${JSON.stringify(recorded)}), or re-ingest it with the prompt you want`,
    { details: { collection, differences: ['queryPrompt'] } },
  );
}

/** Passes every task straight through: the bound of a caller that has none (CLI, library). */
const UNBOUNDED = new AdmissionQueue({ concurrency: Infinity, maxQueued: 0 });

interface CheckedSearch extends SearchOptions {
  k: number;
}

export class SearchService {
  /** The collections' facts, shared with the server's other routes (listing, embedding targets). */
  readonly catalog: CollectionCatalog;
  private readonly cache: QueryCache;
  private readonly admission: AdmissionQueue;
  private readonly observer?: SearchObserver;
  /** The server's ONNX runs for queries, shared with its embedding endpoints; undefined outside a server. */
  readonly runs?: QueryRuns;
  /** Store searches batched per turn of the event loop; undefined outside a server. */
  private readonly storeBatches?: StoreBatches;

  constructor(
    private readonly store: VectorStore,
    private readonly models: QueryModels,
    serving?: ServingOptions,
  ) {
    // A server may answer from facts up to FRESH_MS old; a one-off search reads them now.
    this.catalog = new CollectionCatalog(store, serving?.now, serving ? FRESH_MS : 0);
    this.cache = new QueryCache(serving?.cacheSize ?? 0, serving?.cacheTtlMs);
    this.admission = serving?.admission ?? UNBOUNDED;
    this.observer = serving?.observer;
    if (serving) {
      const admission = this.admission;
      const runs: QueryRuns = new QueryRuns({
        parallelRuns: models.parallelRuns,
        batching: serving.batchWindowMs > 0,
        lingerMs: serving.batchWindowMs,
        // Searches admitted but not waiting for a run are in the store stage or answering: their clients will send more.
        busy: (): boolean => admission.load.running > runs.load.waiting,
        observer: serving.observer,
      });
      this.runs = runs;
      this.storeBatches = new StoreBatches(store, (seconds) => this.observer?.searched(seconds));
    }
  }

  /** The top k hits for a query, best first; for a list of queries, one such list each. */
  search(collection: string, query: string, options?: SearchOptions): Promise<SearchHit[]>;
  search(collection: string, queries: readonly string[], options?: SearchOptions): Promise<SearchHit[][]>;
  async search(collection: string, input: string | readonly string[], options: SearchOptions = {}): Promise<SearchHit[] | SearchHit[][]> {
    const checked = { ...options, k: checkK(options.k) };
    const queries = checkQueries(input);
    // One span per search call (tracing on): a list of queries is one search.
    const results = await inSpan('embedline.search', { 'embedline.collection': collection, 'embedline.search.queries': queries.length, 'embedline.search.k': checked.k }, () =>
      this.admission.run(() => this.searchChecked(collection, queries, checked)),
    );
    return typeof input === 'string' ? results[0] : results;
  }

  /**
   * Keyword or hybrid: the store ranks by its keyword index, fused with the dense top for hybrid
   * (store/rank-fusion.ts). A keyword search embeds nothing; neither is cached (the cache holds dense answers).
   */
  private async searchByText(collection: string, queries: readonly string[], options: CheckedSearch): Promise<SearchHit[][]> {
    const mode = parseSearchMode(options.mode);
    if (options.scoreThreshold !== undefined) {
      throw new EmbedlineError('BAD_REQUEST', `scoreThreshold is a dense similarity and cannot be combined with mode ${mode} (its scores are ${mode === 'hybrid' ? 'rank-fusion' : 'BM25'} scores)`);
    }
    const { spec } = await this.catalog.describe(collection);
    const vectors = mode === 'hybrid' ? await this.embed(collection, spec, queries) : undefined;
    const started = performance.now();
    const hits = await this.store.searchText(collection, queries.map((text, i) => ({ text, vector: vectors?.[i] })), options.k, options.filter);
    this.observer?.searched((performance.now() - started) / 1000);
    return hits;
  }

  /**
   * Loads each collection's model and runs it once, so that the first query does not wait most of
   * a second for the ONNX session (the server calls it before it answers).
   */
  async warmUp(): Promise<void> {
    for (const { name, spec } of await this.store.listCollections()) await this.runModel(name, spec, ['warm-up']);
  }

  private async searchChecked(collection: string, queries: readonly string[], options: CheckedSearch): Promise<SearchHit[][]> {
    if (options.mode !== undefined && options.mode !== 'dense') return this.searchByText(collection, queries, options);
    // Also answers "does the collection exist?" before any embedding is spent on it.
    const { spec, points } = await this.catalog.describe(collection);
    checkQueryPrompt(collection, spec, options.queryPrompt);
    const keys: CachedQuery[] = queries.map((query) => ({ collection, points, query, k: options.k, filter: options.filter, scoreThreshold: options.scoreThreshold }));
    const results = keys.map((key) => this.cache.get(key));
    if (this.cache.enabled) results.forEach((hits) => this.observer?.cache(hits !== undefined));
    const missed = results.flatMap((hits, i) => (hits ? [] : [i]));
    if (missed.length === 0) return results as SearchHit[][];
    const vectors = await this.embed(
      collection,
      spec,
      missed.map((i) => queries[i]),
    );
    const found = await this.searchVectors(collection, vectors, options);
    missed.forEach((i, j) => {
      results[i] = found[j];
      this.cache.set(keys[i], found[j]);
    });
    return results as SearchHit[][];
  }

  /**
   * Through the server's run queue when serving (each query, tokenized here, joins the next run a
   * slot takes, beside other callers' queries and embedding inputs), else in one run.
   */
  private async embed(collection: string, spec: CollectionSpec, queries: readonly string[]): Promise<Float32Array[]> {
    const runs = this.runs;
    if (!runs) return this.runModel(collection, spec, queries);
    const embedder = await this.models.forSpec(collection, spec);
    const variant = { embedder, pooling: spec.pooling, prompt: spec.queryPrompt ?? '' };
    const vectors = await Promise.all(embedder.tokenize(queries, true, variant.prompt).map((ids) => runs.embed(variant, ids)));
    if (spec.normalize) vectors.forEach(l2Normalize);
    return vectors;
  }

  /** Query vectors exactly as the collection's chunks were embedded; long queries are truncated. */
  private async runModel(collection: string, spec: CollectionSpec, queries: readonly string[]): Promise<Float32Array[]> {
    const embedder = await this.models.forSpec(collection, spec);
    const { vectors } = await embedder.embed(queries, { pooling: spec.pooling, normalize: spec.normalize, truncate: true, prompt: spec.queryPrompt });
    return vectors;
  }

  private async searchVectors(collection: string, vectors: readonly Float32Array[], { k, filter, scoreThreshold }: CheckedSearch): Promise<SearchHit[][]> {
    const batches = this.storeBatches;
    if (batches) return Promise.all(vectors.map((vector) => batches.search(collection, vector, { k, filter, scoreThreshold })));
    const started = performance.now();
    const hits =
      vectors.length === 1 ? [await this.store.search(collection, vectors[0], k, filter, scoreThreshold)] : await this.store.searchBatch(collection, vectors, k, filter, scoreThreshold);
    this.observer?.searched((performance.now() - started) / 1000);
    return hits;
  }
}
