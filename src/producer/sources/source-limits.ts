// Size limits that keep one record (or file) from exhausting memory. Rows and files over them are
// rejected, not read.

/** A CSV row or JSONL line: generous enough for a book chapter in one cell; the chunker splits it. */
export const DEFAULT_MAX_ROW_BYTES = 8 * 1024 * 1024;

/** One file of a folder source, read whole before chunking. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Bytes of a rejected record decoded for its excerpt: enough for 200 characters of any script. */
export const EXCERPT_SOURCE_BYTES = 800;
