// A stored point's payload: the chunk's own fields at the top level, where Qdrant indexes and
// filters them directly (documentId, chunkIndex), and the document's metadata under `metadata`,
// so a metadata key can never collide with a chunk field.
import type { Schemas } from '@qdrant/js-client-rest';
import type { Chunk, Metadata } from '../../contracts/chunk.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import type { StoredPoint } from '../vector-store.ts';

type Payload = Record<string, unknown>;

/** The body of one point in an upsert request. */
export interface QdrantPoint {
  id: string;
  vector: number[];
  payload: Payload;
}

export function qdrantPoint({ id, vector, chunk }: StoredPoint): QdrantPoint {
  const { documentId, chunkIndex, text, start, end, tokens, contentHash, metadata } = chunk;
  return { id, vector: Array.from(vector), payload: { documentId, chunkIndex, text, start, end, tokens, contentHash, metadata } };
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
