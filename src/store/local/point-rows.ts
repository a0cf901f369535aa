// Reads Lance rows back into the store contract (Chunk, SearchHit, write versions); writes go as Arrow
// batches (point-batch.ts).
import type { Chunk, Metadata } from '../../contracts/chunk.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import { COLUMNS, VERSION_COLUMN } from './table-layout.ts';

export type LanceRow = Record<string, unknown>;

/** A row's write version: null (a row from before versions) or an absent column is 0. */
export function versionFromRow(row: LanceRow): number {
  const value = row[VERSION_COLUMN];
  return value === null || value === undefined ? 0 : Number(value);
}

export function chunkFromRow(row: LanceRow): Chunk {
  return {
    documentId: row[COLUMNS.documentId] as string,
    chunkIndex: row[COLUMNS.chunkIndex] as number,
    text: row[COLUMNS.text] as string,
    start: row[COLUMNS.start] as number,
    end: row[COLUMNS.end] as number,
    tokens: row[COLUMNS.tokens] as number,
    contentHash: row[COLUMNS.contentHash] as string,
    metadata: JSON.parse(row[COLUMNS.metadata] as string) as Metadata,
  };
}

export function hitFromRow(row: LanceRow, score: number): SearchHit {
  const chunk = chunkFromRow(row);
  return {
    id: row[COLUMNS.id] as string,
    score,
    documentId: chunk.documentId,
    chunkIndex: chunk.chunkIndex,
    text: chunk.text,
    start: chunk.start,
    end: chunk.end,
    metadata: chunk.metadata,
  };
}
