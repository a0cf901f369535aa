// Answers repeated queries without embedding or searching again. An entry is keyed by the
// collection's point count, so an ingest that adds or removes points makes older entries
// unreachable at once; a TTL covers updates that keep the count (a re-ingest with edited text).
// The cache is an LRU map that SearchService reads directly: what is decided here is the key, made
// once per search call for what its queries share (callKey), then one map read per query.
import { LRUCache } from 'lru-cache';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';

/** What the queries of one search call share; a cached answer is valid only for the same. */
export interface CachedCall {
  collection: string;
  points: number;
  k: number;
  filter?: Filter;
  scoreThreshold?: number;
}

export const QUERY_CACHE_TTL_MS = 60_000;

export type QueryCache = LRUCache<string, SearchHit[]>;

/** A cache of `size` answers, or undefined when the cache is off (size 0). */
export function queryCache(size: number, ttlMs = QUERY_CACHE_TTL_MS): QueryCache | undefined {
  return size > 0 ? new LRUCache<string, SearchHit[]>({ max: size, ttl: ttlMs }) : undefined;
}

/**
 * The key part a call's queries share, a JSON array; a query's key is it followed by the query as
 * JSON (`callKey(call) + JSON.stringify(query)`: both are JSON, so no two pairs make one key).
 * Filters that differ only in key order, or in the order of an any-of list, are the same call.
 */
export function callKey(call: CachedCall): string {
  const filter = Object.entries(call.filter ?? {})
    .map(([field, condition]) => [field, Array.isArray(condition) ? [...condition].sort() : condition] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([call.collection, call.points, call.k, filter, call.scoreThreshold ?? null]);
}
