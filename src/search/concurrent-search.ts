// Search for a server's concurrent callers: one query per call, answered from the query cache when
// it can be, otherwise embedded together with other callers' queries and searched.
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError } from '../errors.ts';
import { AdmissionQueue, type AdmissionLimits } from './admission-queue.ts';
import type { CollectionCatalog } from './collection-catalog.ts';
import { QueryCache } from './query-cache.ts';
import { QueryEmbedder } from './query-embedder.ts';
import { checkK, type SearchOptions } from './search-service.ts';

/** What ConcurrentSearch needs of SearchService (narrow, so tests can count the calls). */
export interface QuerySearcher {
  embedForSpec(collection: string, spec: CollectionSpec, queries: readonly string[]): Promise<Float32Array[]>;
  searchVector(collection: string, vector: Float32Array, options: SearchOptions): Promise<SearchHit[]>;
}

/** Timings for metrics; the HTTP layer turns them into Prometheus series. */
export interface SearchObserver {
  embedded(queries: number, seconds: number): void;
  searched(seconds: number): void;
  cache(hit: boolean): void;
}

export interface ConcurrentSearchOptions {
  batchWindowMs: number;
  /** ONNX runs at once (cores ÷ threads per run). */
  parallelRuns: number;
  cacheSize: number;
  cacheTtlMs?: number;
  observer?: SearchObserver;
  /** Searches running at once and waiting; past both a search is refused (OVERLOADED). Unbounded if unset. */
  admission?: AdmissionLimits;
}

export class ConcurrentSearch {
  private readonly embedder: QueryEmbedder;
  private readonly cache: QueryCache;
  private readonly observer?: SearchObserver;
  private readonly admission?: AdmissionQueue;

  constructor(
    private readonly searcher: QuerySearcher,
    private readonly catalog: CollectionCatalog,
    options: ConcurrentSearchOptions,
  ) {
    this.observer = options.observer;
    this.cache = new QueryCache(options.cacheSize, options.cacheTtlMs);
    if (options.admission) this.admission = new AdmissionQueue(options.admission);
    this.embedder = new QueryEmbedder((collection, queries) => this.timedEmbed(collection, queries), {
      windowMs: options.batchWindowMs,
      parallelRuns: options.parallelRuns,
    });
  }

  async search(collection: string, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (query.trim() === '') throw new EmbedlineError('BAD_REQUEST', 'query is empty');
    const k = checkK(options.k);
    return this.admission ? this.admission.run(() => this.admitted(collection, query, k, options)) : this.admitted(collection, query, k, options);
  }

  private async admitted(collection: string, query: string, k: number, options: SearchOptions): Promise<SearchHit[]> {
    // Also answers "does the collection exist?" before any embedding is spent on it.
    const { points } = await this.catalog.describe(collection);
    const key = { collection, points, query, k, filter: options.filter, scoreThreshold: options.scoreThreshold };
    const cached = this.cache.get(key);
    if (this.cache.enabled) this.observer?.cache(cached !== undefined);
    if (cached) return cached;
    const vector = await this.embedder.embed(collection, query);
    const started = performance.now();
    const hits = await this.searcher.searchVector(collection, vector, { ...options, k });
    this.observer?.searched((performance.now() - started) / 1000);
    this.cache.set(key, hits);
    return hits;
  }

  private async timedEmbed(collection: string, queries: string[]): Promise<Float32Array[]> {
    const { spec } = await this.catalog.describe(collection);
    const started = performance.now();
    const vectors = await this.searcher.embedForSpec(collection, spec, queries);
    this.observer?.embedded(queries.length, (performance.now() - started) / 1000);
    return vectors;
  }
}
