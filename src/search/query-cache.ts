// Answers repeated queries without embedding or searching again. An entry is keyed by the
// collection's point count, so an ingest that adds or removes points makes older entries
// unreachable at once; a TTL covers updates that keep the count (a re-ingest with edited text).
import { LRUCache } from 'lru-cache';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';

export interface CachedQuery {
  collection: string;
  points: number;
  query: string;
  k: number;
  filter?: Filter;
  scoreThreshold?: number;
}

export const QUERY_CACHE_TTL_MS = 60_000;

export class QueryCache {
  /** undefined when the cache is off (size 0). */
  private readonly entries?: LRUCache<string, SearchHit[]>;

  constructor(size: number, ttlMs = QUERY_CACHE_TTL_MS) {
    if (size > 0) this.entries = new LRUCache<string, SearchHit[]>({ max: size, ttl: ttlMs });
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  get(query: CachedQuery): SearchHit[] | undefined {
    return this.entries?.get(cacheKey(query));
  }

  set(query: CachedQuery, hits: SearchHit[]): void {
    this.entries?.set(cacheKey(query), hits);
  }
}

/** Filters that differ only in key order, or in the order of an any-of list, are the same query. */
function cacheKey(q: CachedQuery): string {
  const filter = Object.entries(q.filter ?? {})
    .map(([field, condition]) => [field, Array.isArray(condition) ? [...condition].sort() : condition] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([q.collection, q.points, q.query, q.k, filter, q.scoreThreshold ?? null]);
}
