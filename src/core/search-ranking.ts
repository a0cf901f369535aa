// How retrieval evaluation ranks documents: through the same SearchService as `embedline search`
// and the HTTP API (query embedded with the collection's own model and pooling, then the store's
// search, in the given mode: dense, keyword or hybrid), so an evaluation scores what users get.
// Shared by `eval retrieval` on a real collection, `eval compare SOURCE --queries` on its throw-away
// ones and bench/search-quality, so all three give equal figures.
import type { SearchMode } from '../contracts/search-mode.ts';
import { CHUNKS_PER_QUERY, type RankDocuments } from '../eval/retrieval.ts';
import type { SearchService } from '../search/search-service.ts';

export function rankBySearch(service: SearchService, collection: string, mode: SearchMode = 'dense'): RankDocuments {
  return async (queries) => (await service.search(collection, queries, { k: CHUNKS_PER_QUERY, mode })).map((hits) => hits.map((hit) => hit.documentId));
}
