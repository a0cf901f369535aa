// A search as a person reads it, on top of SearchService: optionally grouped by document, and
// flagged "no close match" when the collection's calibrated floor says the best hit is weak.
//
// Grouping (`groupBy: "document"`) is computed from an over-fetch, the same way for every store: the
// top `groupCandidates(k)` chunks (10 per wanted document, at most MAX_K) are fetched with the
// filter and threshold applied, each document keeps its best chunk, and `matches` counts its chunks
// among those candidates. So a document whose other chunks rank below the candidates counts fewer,
// and fewer than k documents come back when the candidates hold fewer. (Qdrant's groups API is not
// used: its counts stop at `group_size`, LanceDB has none, and one computation keeps both stores'
// answers identical.)
//
// The floor (contracts/score-floor.ts) applies to dense scores only: keyword and hybrid scores are
// not similarities, so they are never flagged.
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError } from '../errors.ts';
import { belowFloor } from '../contracts/score-floor.ts';
import { DEFAULT_K, MAX_K, type SearchOptions, type SearchService } from './search-service.ts';

export const GROUP_BY_VALUES = ['document'] as const;
export type GroupBy = (typeof GROUP_BY_VALUES)[number];

/** Chunks fetched per wanted document when grouping. */
export const CANDIDATES_PER_DOCUMENT = 10;

export interface AnswerOptions extends SearchOptions {
  groupBy?: GroupBy;
}

/** The best chunk of a document, and how many of its chunks were among the candidates. */
export interface DocumentHit extends SearchHit {
  matches: number;
}

export interface SearchAnswer {
  hits: SearchHit[] | DocumentHit[];
  /** The best hit is below the collection's calibrated floor (or there is none): no close match. */
  noCloseMatch: boolean;
  /** The floor applied, when the collection has one and the mode is dense. */
  scoreFloor?: number;
}

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

export async function searchAnswer(service: SearchService, collection: string, query: string, options: AnswerOptions = {}): Promise<SearchAnswer> {
  const [answer] = await searchAnswers(service, collection, [query], options);
  return answer;
}

/** One answer per query, from one SearchService call. */
export async function searchAnswers(service: SearchService, collection: string, queries: readonly string[], options: AnswerOptions = {}): Promise<SearchAnswer[]> {
  const { groupBy, ...searchOptions } = options;
  if (groupBy !== undefined && !(GROUP_BY_VALUES as readonly unknown[]).includes(groupBy)) {
    throw new EmbedlineError('BAD_REQUEST', `groupBy must be one of ${GROUP_BY_VALUES.join(', ')}, got ${JSON.stringify(groupBy)}`);
  }
  const k = options.k ?? DEFAULT_K;
  // k is checked by the service first; only a valid k is multiplied.
  const fetchK = groupBy === 'document' && Number.isInteger(k) && k >= 1 && k <= MAX_K ? groupCandidates(k) : options.k;
  const results = await service.search(collection, queries, { ...searchOptions, k: fetchK });
  const dense = (options.mode ?? 'dense') === 'dense';
  const floor = dense ? (await service.catalog.describe(collection)).scoreFloor : undefined;
  return results.map((found) => {
    const hits = groupBy === 'document' ? groupByDocument(found, k) : found;
    return { hits, noCloseMatch: belowFloor(hits[0]?.score, floor), ...(floor ? { scoreFloor: floor.value } : {}) };
  });
}
