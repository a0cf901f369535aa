// Which fields of a record (CSV columns, JSONL keys) become a document's text, id and metadata.

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
