// One search result, as every store returns it and every API prints it.
import type { Metadata } from './chunk.ts';

export interface SearchHit {
  id: string;
  score: number;
  documentId: string;
  chunkIndex: number;
  text: string;
  start: number;
  end: number;
  metadata: Metadata;
}
