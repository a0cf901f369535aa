// A stored point's payload: the chunk's own fields at the top level, where Qdrant indexes and
// filters them directly (documentId, chunkIndex), and the document's metadata under `metadata`,
// so a metadata key can never collide with a chunk field; the point's write version beside them
// (store/write-version.ts; points from before versions have none, read as 0).
import type { Schemas } from '@qdrant/js-client-rest';
import type { Chunk, Metadata } from '../../contracts/chunk.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import type { StoredPoint } from '../vector-store.ts';
import { versionOf } from '../write-version.ts';
import { chunkKeywordVector, KEYWORDS_VECTOR, type SparseVector } from './keyword-vector.ts';

/** Payload key of a point's write version (integer-indexed: conditional writes and deletes filter on it). */
export const VERSION_KEY = 'writeVersion';

type Payload = Record<string, unknown>;

/** The body of one point in an upsert request. */
export interface QdrantPoint {
  id: string;
  /** The dense vector alone, or by name with the keyword vector beside it ("" is the unnamed dense one). */
  vector: number[] | Record<string, number[] | SparseVector>;
  payload: Payload;
}

/** `withKeywords`: the collection has the keyword vector (keyword-vector.ts); a chunk without terms carries none. */
export function qdrantPoint(point: StoredPoint, withKeywords = false): QdrantPoint {
  const { documentId, chunkIndex, text, start, end, tokens, contentHash, metadata } = point.chunk;
  const payload = { documentId, chunkIndex, text, start, end, tokens, contentHash, metadata, [VERSION_KEY]: versionOf(point) };
  const dense = Array.from(point.vector);
  const keywords = withKeywords ? chunkKeywordVector(text) : undefined;
  return { id: point.id, vector: keywords ? { '': dense, [KEYWORDS_VECTOR]: keywords } : dense, payload };
}

/** The dense vector of a record: Qdrant returns it alone, or by name ("") when the point has a keyword vector too. */
export function denseVectorOf(vector: unknown): number[] {
  if (Array.isArray(vector)) return vector as number[];
  return (vector as Record<string, number[]> | null | undefined)?.[''] ?? [];
}

export function versionFromPayload(payload: Payload | null | undefined): number {
  const value = payload?.[VERSION_KEY];
  return typeof value === 'number' ? value : 0;
}

export function chunkFromPayload(payload: Payload | null | undefined): Chunk {
  const p = payload ?? {};
  return {
    documentId: p.documentId as string,
    chunkIndex: p.chunkIndex as number,
    text: p.text as string,
    start: p.start as number,
    end: p.end as number,
    tokens: p.tokens as number,
    contentHash: p.contentHash as string,
    metadata: (p.metadata ?? {}) as Metadata,
  };
}

export function hitFromScoredPoint(point: Schemas['ScoredPoint']): SearchHit {
  const { documentId, chunkIndex, text, start, end, metadata } = chunkFromPayload(point.payload);
  return { id: String(point.id), score: point.score, documentId, chunkIndex, text, start, end, metadata };
}
