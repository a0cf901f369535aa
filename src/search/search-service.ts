// Semantic search over a collection: embed the queries with the collection's own model and
// pooling, then ask the store. Shared by the CLI and the HTTP API.
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError } from '../errors.ts';
import type { VectorStore } from '../store/vector-store.ts';
import type { CollectionModels } from './collection-models.ts';

export interface SearchOptions {
  k?: number;
  filter?: Filter;
  scoreThreshold?: number;
}

export const MAX_K = 1000;
export const DEFAULT_K = 10;

/** The k a search will use; BAD_REQUEST unless 1..MAX_K. */
export function checkK(k = DEFAULT_K): number {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new EmbedlineError('BAD_REQUEST', `k must be an integer from 1 to ${MAX_K}, got ${k}`);
  return k;
}

export class SearchService {
  constructor(
    private readonly store: VectorStore,
    private readonly models: CollectionModels,
  ) {}

  /** Embeds all queries in one batched call, then searches them in one store call. */
  async searchMany(collection: string, queries: readonly string[], options: SearchOptions = {}): Promise<SearchHit[][]> {
    const k = checkK(options.k);
    queries.forEach((q, i) => {
      if (typeof q !== 'string' || q.trim() === '') throw new EmbedlineError('BAD_REQUEST', `query ${queries.length > 1 ? `${i} ` : ''}is empty`);
    });
    const vectors = await this.embedQueries(collection, queries);
    return this.store.searchBatch(collection, vectors, k, options.filter, options.scoreThreshold);
  }

  /** Searches with a query vector already embedded by embedQueries (the HTTP server batches those itself). */
  async searchVector(collection: string, vector: Float32Array, options: SearchOptions = {}): Promise<SearchHit[]> {
    return this.store.search(collection, vector, checkK(options.k), options.filter, options.scoreThreshold);
  }

  async search(collection: string, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    return (await this.searchMany(collection, [query], options))[0];
  }

  /** Query vectors exactly as the collection's chunks were embedded; long queries are truncated. */
  async embedQueries(collection: string, queries: readonly string[]): Promise<Float32Array[]> {
    const info = await this.store.describe(collection);
    if (!info) throw new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist`);
    return this.embedForSpec(collection, info.spec, queries);
  }

  /** embedQueries for a caller that already holds the collection's spec (the server keeps it briefly). */
  async embedForSpec(collection: string, spec: CollectionSpec, queries: readonly string[]): Promise<Float32Array[]> {
    const embedder = await this.models.forSpec(collection, spec);
    const { vectors } = await embedder.embed(queries, { pooling: spec.pooling, normalize: spec.normalize, truncate: true });
    return vectors;
  }
}
