// Converts between the store contract (StoredPoint, Chunk, SearchHit) and Lance rows.
import type { Chunk, Metadata } from '../../contracts/chunk.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import type { StoredPoint } from '../vector-store.ts';
import { filterText, metadataColumn } from './metadata-columns.ts';
import { versionOf } from '../write-version.ts';
import { keywordTerms } from '../keyword-terms.ts';
import { COLUMNS, KEYWORDS_COLUMN, VERSION_COLUMN } from './table-layout.ts';

export type LanceRow = Record<string, unknown>;

/**
 * The row for a point. Every filter column of the table is written, null where this point has no
 * such key: a merge-insert that left a column out would keep the replaced row's old value there.
 * The keyword terms only where the table has their column (not in tables from before keyword search).
 */
export function rowFromPoint(point: StoredPoint, filterColumns: Iterable<string>, withKeywords = false): LanceRow {
  const { chunk } = point;
  const row: LanceRow = {
    [COLUMNS.id]: point.id,
    [COLUMNS.vector]: point.vector,
    [COLUMNS.documentId]: chunk.documentId,
    [COLUMNS.chunkIndex]: chunk.chunkIndex,
    [COLUMNS.text]: chunk.text,
    [COLUMNS.start]: chunk.start,
    [COLUMNS.end]: chunk.end,
    [COLUMNS.tokens]: chunk.tokens,
    [COLUMNS.contentHash]: chunk.contentHash,
    [COLUMNS.metadata]: JSON.stringify(chunk.metadata),
    [VERSION_COLUMN]: versionOf(point),
  };
  if (withKeywords) row[KEYWORDS_COLUMN] = keywordTerms(chunk.text).join(' ');
  for (const column of filterColumns) row[column] = null;
  for (const [key, value] of Object.entries(chunk.metadata)) row[metadataColumn(key)] = filterText(value);
  return row;
}

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
