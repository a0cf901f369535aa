// Which fields of a record (CSV columns, JSONL keys, Parquet columns) become a document's text, id and
// metadata, and the checks of that choice every tabular source makes before it reads a row.
import { EmbedlineError } from '../../errors.ts';

export interface FieldSelection {
  /** Fields whose text is indexed, in order; several are joined with a blank line. */
  textFields: string[];
  /** Field holding a stable document id. Without one the id is `<file name>:<line>` (see defaultDocumentId). */
  idField?: string;
  /** Fields copied into each chunk's metadata (for filters and display). */
  metadataFields?: string[];
  /** Metadata fields whose text is a list (CSV `--list-column tags:;`): field → separator; stored as an array. */
  listFields?: Record<string, string>;
  /** Metadata fields whose text is a number (CSV `--number-column year`); a cell that is not one is a reject. */
  numberFields?: string[];
}

/** Between the text fields of one record: a paragraph break, which the chunker prefers to cut at. */
export const TEXT_FIELD_SEPARATOR = '\n\n';

/**
 * The id of a record from a source without an id field: its file name and the line it starts on.
 * Stable while rows are edited in place or appended; inserting rows above shifts it, so give
 * sources that change in the middle an id field.
 */
export function defaultDocumentId(fileName: string, line: number): string {
  return `${fileName}:${line}`;
}

/**
 * The fields a tabular source (CSV, JSONL, Parquet) was asked for, checked before reading: at least
 * one text field, no empty name, a list or number field is metadata too, and never both.
 */
export function selectFields(path: string, format: string, options: Partial<FieldSelection>): FieldSelection {
  const textFields = options.textFields ?? [];
  if (textFields.length === 0) {
    throw new EmbedlineError('INPUT_INVALID', `a ${format.toUpperCase()} source needs at least one text field to index (${path})`);
  }
  const named = [...textFields, ...(options.idField === undefined ? [] : [options.idField]), ...(options.metadataFields ?? []), ...(options.numberFields ?? []), ...Object.keys(options.listFields ?? {})];
  if (named.some((name) => name.trim() === '')) throw new EmbedlineError('INPUT_INVALID', `field names cannot be empty (${path})`);
  // A list or number field is a metadata field too, whether or not the metadata list names it.
  const declared = [...Object.keys(options.listFields ?? {}), ...(options.numberFields ?? [])];
  const metadataFields = [...new Set([...(options.metadataFields ?? []), ...declared])];
  const both = (options.numberFields ?? []).find((field) => options.listFields?.[field] !== undefined);
  if (both !== undefined) throw new EmbedlineError('INPUT_INVALID', `field ${JSON.stringify(both)} is declared both a list and a number (${path})`);
  if (Object.values(options.listFields ?? {}).some((separator) => separator === '')) {
    throw new EmbedlineError('INPUT_INVALID', `a list field's separator cannot be empty (${path})`);
  }
  return { textFields, idField: options.idField, metadataFields, listFields: options.listFields, numberFields: options.numberFields };
}

/** Every field the selection names, text first, each once. */
export function namedFields(selection: FieldSelection): string[] {
  return [...new Set([...selection.textFields, ...(selection.idField === undefined ? [] : [selection.idField]), ...(selection.metadataFields ?? [])])];
}

/** A file with named columns (a CSV header, a Parquet schema) that lacks some the selection names. */
export function checkColumnsPresent(path: string, selection: FieldSelection, columns: readonly string[]): void {
  const present = new Set(columns);
  const missing = namedFields(selection).filter((name) => !present.has(name));
  if (missing.length === 0) return;
  const list = missing.map((name) => JSON.stringify(name)).join(', ');
  throw new EmbedlineError('COLUMN_MISSING', `${path} has no column ${list} (its header has: ${columns.join(', ')})`, {
    details: { path, missing, columns: [...columns] },
  });
}
