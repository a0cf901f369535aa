// Semantic search over a collection, the one path every caller takes: `embedline search` (one
// query or a --queries file), `embedline eval retrieval`, the library's `search` and every HTTP
// search route call SearchService.search and get answers as people read them. One call checks
// groupBy, k and the queries, then (inside the server's admission bound, when it has one) reads the
// collection's spec, answers what it can from the query cache, embeds the rest with the collection's
// own model and pooling, asks the store, and shapes each query's answer.
//
// An answer is optionally grouped by document, and flagged "no close match" when the collection's
// calibrated floor says the best hit is weak. Grouping (`groupBy: "document"`) is computed from an
// over-fetch, the same way for every store: the top `groupCandidates(k)` chunks (10 per wanted
// document, at most MAX_K) are fetched with the filter and threshold applied, each document keeps
// its best chunk, and `matches` counts its chunks among those candidates. So a document whose other
// chunks rank below the candidates counts fewer, and fewer than k documents come back when the
// candidates hold fewer. (Qdrant's groups API is not used: its counts stop at `group_size`, LanceDB
// has none, and one computation keeps both stores' answers identical.) The floor
// (contracts/score-floor.ts) applies to dense scores only: keyword and hybrid scores are not
// similarities, so they are never flagged.
//
// Serving options turn on what only a long-running server needs, each owned here once: continuous
// batching of concurrent callers' queries into shared ONNX runs (query-runs.ts, which the server's
// embedding endpoints share) and of their store searches into batch calls (store-batches.ts), the
// query cache, the admission bound (OVERLOADED) and the timings for metrics. Without them (CLI,
// library) there is no bound to wait at and no cache to look in, a call's queries are embedded in one
// run and searched in one store call, and the collection is described afresh on every call.
import { l2Normalize } from '../embed/vector-math.ts';
import type { EmbedOptions } from '../embed/embedder.ts';
import { blankness, blanknessReason } from '../contracts/blank-text.ts';
import { specPrompts, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Filter } from '../contracts/filter.ts';
import { belowFloor } from '../contracts/score-floor.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError } from '../errors.ts';
import { inSpan } from '../telemetry/tracing.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { parseSearchMode, type SearchMode } from '../contracts/search-mode.ts';
import { AdmissionQueue } from './admission-queue.ts';
import { CollectionCatalog, FRESH_MS } from './collection-catalog.ts';
import type { CollectionModels } from './collection-models.ts';
import { callKey, queryCache, type QueryCache } from './query-cache.ts';
import { QueryRuns } from './query-runs.ts';
import { StoreBatches } from './store-batches.ts';

export const GROUP_BY_VALUES = ['document'] as const;
export type GroupBy = (typeof GROUP_BY_VALUES)[number];

/** Chunks fetched per wanted document when grouping. */
export const CANDIDATES_PER_DOCUMENT = 10;

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
  /** document: one hit per document, its best chunk, with its `matches` (see the header). */
  groupBy?: GroupBy;
}

/** The best chunk of a document, and how many of its chunks were among the candidates. */
export interface DocumentHit extends SearchHit {
  matches: number;
}

/** One query's answer. */
export interface SearchAnswer {
  hits: SearchHit[] | DocumentHit[];
  /** The best hit is below the collection's calibrated floor (or there is none): no close match. */
  noCloseMatch: boolean;
  /** The floor applied, when the collection has one and the mode is dense. */
  scoreFloor?: number;
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

/** groupBy: undefined or one of GROUP_BY_VALUES (library callers are not schema-checked). */
function checkGroupBy(groupBy: unknown): void {
  if (groupBy !== undefined && !(GROUP_BY_VALUES as readonly unknown[]).includes(groupBy)) {
    throw new EmbedlineError('BAD_REQUEST', `groupBy must be one of ${GROUP_BY_VALUES.join(', ')}, got ${JSON.stringify(groupBy)}`);
  }
}

/** Chunks fetched to pick k documents from when grouping. */
export function groupCandidates(k: number): number {
  return Math.min(MAX_K, k * CANDIDATES_PER_DOCUMENT);
}

/** Hits (best first) → the first `limit` documents, each by its best chunk, with its count. */
export function groupByDocument(hits: readonly SearchHit[], limit: number): DocumentHit[] {
  const groups = new Map<string, DocumentHit>();
  for (const hit of hits) {
    const group = groups.get(hit.documentId);
    if (group) group.matches += 1;
    else groups.set(hit.documentId, { ...hit, matches: 1 });
  }
  return [...groups.values()].slice(0, limit);
}

/** How queries are embedded in one run: exactly as the collection's chunks were; long queries are truncated. */
function queryEmbedding(spec: CollectionSpec): EmbedOptions {
  return { pooling: spec.pooling, normalize: spec.normalize, truncate: true, prompt: spec.queryPrompt };
}

export class SearchService {
  /** The collections' facts, shared with the server's other routes (listing, embedding targets). */
  readonly catalog: CollectionCatalog;
  /** Undefined when off (no serving options, or size 0). */
  private readonly cache?: QueryCache;
  /** The server's bound (unbounded if it has none); undefined outside a server: nothing to wait for. */
  private readonly admission?: AdmissionQueue;
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
    if (!serving) return;
    this.cache = queryCache(serving.cacheSize, serving.cacheTtlMs);
    // A server without a bound still counts its searches: the run slots' `busy` below reads the count.
    const admission = (this.admission = serving.admission ?? new AdmissionQueue({ concurrency: Infinity, maxQueued: 0 }));
    this.observer = serving.observer;
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

  /**
   * The answer to a query, its hits best first; for a list of queries, one answer each. Keyword or
   * hybrid: the store ranks by its keyword index, fused with the dense top for hybrid
   * (store/rank-fusion.ts); a keyword search embeds nothing, and neither is cached (the cache holds
   * dense hits).
   */
  search(collection: string, query: string, options?: SearchOptions): Promise<SearchAnswer>;
  search(collection: string, queries: readonly string[], options?: SearchOptions): Promise<SearchAnswer[]>;
  async search(collection: string, input: string | readonly string[], options: SearchOptions = {}): Promise<SearchAnswer | SearchAnswer[]> {
    const { groupBy, filter, scoreThreshold } = options;
    checkGroupBy(groupBy);
    const k = checkK(options.k);
    const queries = checkQueries(input);
    const fetchK = groupBy === 'document' ? groupCandidates(k) : k;

    const answer = async (): Promise<SearchAnswer[]> => {
      const mode = parseSearchMode(options.mode);
      if (mode !== 'dense' && scoreThreshold !== undefined) {
        throw new EmbedlineError('BAD_REQUEST', `scoreThreshold is a dense similarity and cannot be combined with mode ${mode} (its scores are ${mode === 'hybrid' ? 'rank-fusion' : 'BM25'} scores)`);
      }
      // Also answers "does the collection exist?" before any embedding is spent on it.
      const { spec, points, scoreFloor } = await this.catalog.describe(collection);
      if (mode === 'dense') checkQueryPrompt(collection, spec, options.queryPrompt);

      const cache = mode === 'dense' ? this.cache : undefined;
      const call = cache && callKey({ collection, points, k: fetchK, filter, scoreThreshold });
      const keys = call === undefined ? [] : queries.map((query) => call + JSON.stringify(query));
      const found = queries.map((_, i): SearchHit[] | undefined => cache?.get(keys[i]));
      if (cache) found.forEach((hits) => this.observer?.cache(hits !== undefined));
      const missed = found.flatMap((hits, i) => (hits ? [] : [i]));

      if (missed.length > 0) {
        const texts = missed.map((i) => queries[i]);
        let vectors: Float32Array[] | undefined;
        if (mode !== 'keyword') {
          const embedder = await this.models.forSpec(collection, spec);
          const runs = this.runs;
          if (runs) {
            // Each query, tokenized here, joins the next run a slot takes, beside other callers' queries and embedding inputs.
            const prompt = spec.queryPrompt ?? '';
            const key = runs.key({ embedder, pooling: spec.pooling, prompt });
            const budget = embedder.maxBatchTokens;
            vectors = await Promise.all(embedder.tokenize(texts, true, prompt).map((ids) => runs.submit(key, ids, { tokens: ids.length, budget })));
            if (spec.normalize) vectors.forEach(l2Normalize);
          } else {
            vectors = (await embedder.embed(texts, queryEmbedding(spec))).vectors;
          }
        }
        const batches = this.storeBatches;
        let hits: SearchHit[][];
        if (mode === 'dense') {
          hits = batches
            ? await Promise.all(vectors!.map((vector) => batches.search(collection, vector, { k: fetchK, filter, scoreThreshold })))
            : await this.store.searchBatch(collection, vectors!, fetchK, filter, scoreThreshold);
        } else {
          const started = performance.now();
          hits = await this.store.searchText(collection, texts.map((text, j) => ({ text, vector: vectors?.[j] })), fetchK, filter);
          this.observer?.searched((performance.now() - started) / 1000);
        }
        missed.forEach((i, j) => {
          found[i] = hits[j];
          cache?.set(keys[i], hits[j]);
        });
      }

      const floor = mode === 'dense' ? scoreFloor : undefined;
      return found.map((chunks) => {
        const hits = groupBy === 'document' ? groupByDocument(chunks!, k) : chunks!;
        return { hits, noCloseMatch: belowFloor(hits[0]?.score, floor), ...(floor ? { scoreFloor: floor.value } : {}) };
      });
    };

    // One span per search call (tracing on): a list of queries is one search.
    const span = { 'embedline.collection': collection, 'embedline.search.queries': queries.length, 'embedline.search.k': fetchK };
    const answers = await inSpan('embedline.search', span, () => (this.admission ? this.admission.run(answer) : answer()));
    return typeof input === 'string' ? answers[0] : answers;
  }

  /**
   * Loads each collection's model and runs it once, so that the first query does not wait most of
   * a second for the ONNX session (the server calls it before it answers).
   */
  async warmUp(): Promise<void> {
    for (const { name, spec } of await this.store.listCollections()) await (await this.models.forSpec(name, spec)).embed(['warm-up'], queryEmbedding(spec));
  }
}
