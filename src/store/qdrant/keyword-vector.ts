// The Qdrant store's keyword index: each chunk carries a sparse vector `keywords` of its terms
// (store/keyword-terms.ts), in a sparse vector space with Qdrant's `idf` modifier, so Qdrant weighs
// each term by its inverse document frequency over the collection at query time and a keyword
// query scores BM25-style: sum over shared terms of idf(term) × the chunk's term weight.
//
// - Term → index: FNV-1a, 32 bits (Qdrant's sparse indices are uint32). Two terms that collide
//   share one dimension; at ~4 billion dimensions that is rare and costs only a spurious match.
// - Chunk weight: BM25's saturated term frequency tf·(k1+1)/(tf+k1), k1 = 1.2, with no length
//   normalisation (b = 0): chunks are cut to about the same number of tokens, and Qdrant keeps no
//   average length to normalise against.
// - Query weight: 1 per distinct term (a repeated query word does not count twice).
import type { Schemas } from '@qdrant/js-client-rest';
import { keywordTerms, termCounts } from '../keyword-terms.ts';

/** Name of the sparse vector in every collection built since keyword search. */
export const KEYWORDS_VECTOR = 'keywords';
const K1 = 1.2;

export type SparseVector = Schemas['SparseVector'];

/** The collection config of the keyword vector space. */
export const KEYWORDS_VECTOR_PARAMS: Schemas['SparseVectorParams'] = { modifier: 'idf' };

/** FNV-1a over the term's UTF-8 bytes, as an unsigned 32-bit integer. */
export function termIndex(term: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The chunk's keyword vector; undefined when its text has no terms (Qdrant stores no empty sparse vector). */
export function chunkKeywordVector(text: string): SparseVector | undefined {
  const counts = new Map<number, number>();
  for (const [term, count] of termCounts(text)) counts.set(termIndex(term), (counts.get(termIndex(term)) ?? 0) + count);
  if (counts.size === 0) return undefined;
  const indices = [...counts.keys()];
  return { indices, values: indices.map((i) => saturated(counts.get(i) as number)) };
}

/** The query's keyword vector; undefined when the query has no terms (it then matches nothing). */
export function queryKeywordVector(text: string): SparseVector | undefined {
  const indices = [...new Set(keywordTerms(text).map(termIndex))];
  return indices.length === 0 ? undefined : { indices, values: indices.map(() => 1) };
}

function saturated(tf: number): number {
  return (tf * (K1 + 1)) / (tf + K1);
}
