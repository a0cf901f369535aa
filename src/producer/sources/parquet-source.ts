// A Parquet file as documents, read with hyparquet (pure JavaScript, no native or WebAssembly
// parts): one row group at a time and only the named columns, so memory holds one row group, never
// the file. Columns map as CSV columns do (text, id, metadata, list and number columns), but values
// keep their Parquet types: numbers stay numbers, lists stay lists; 64-bit integers become numbers
// when exact, dates and timestamps ISO text. What the JSONL source rejects (nested objects, mixed
// lists) is rejected the same way, and so are binary values. A row group that cannot be read (a
// corrupt page) is one reject naming it, its rows are left out, and the next row groups are read.
// The "line" of a row is its 1-based row number in the file.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { EmbedlineError } from '../../errors.ts';
import { checkColumnsPresent, namedFields, type FieldSelection } from './field-selection.ts';
import { RecordToDocument, type FieldValue } from './record-to-document.ts';
import { rejectItem, type SourceItem } from './source-item.ts';

interface ParquetInput {
  /** The file to read. */
  path: string;
  /** What messages, rejects and default ids call it. */
  name: string;
}

/** Reads the footer and checks the named columns before the run starts; returns the reader. */
export async function openParquet(input: ParquetInput, selection: FieldSelection): Promise<() => AsyncGenerator<SourceItem>> {
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await asyncBufferFromFile(input.path);
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new EmbedlineError('SOURCE_INVALID', `${input.name} is not a readable Parquet file: ${(err as Error).message}`, { details: { path: input.name }, cause: err });
  }
  checkColumnsPresent(input.name, selection, parquetSchema(metadata).children.map((child) => child.element.name));
  return () => parquetRows(input.name, file, metadata, selection);
}

async function* parquetRows(name: string, file: AsyncBuffer, metadata: FileMetaData, selection: FieldSelection): AsyncGenerator<SourceItem> {
  const toDocument = new RecordToDocument(name, selection, 'column');
  const columns = namedFields(selection);
  const groups = metadata.row_groups.length;
  let rowStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await parquetReadObjects({ file, metadata, columns, rowStart, rowEnd, rowFormat: 'object', compressors });
    } catch (err) {
      const reason = `row group ${index + 1} of ${groups} (rows ${rowStart + 1} to ${rowEnd}) cannot be read: ${(err as Error).message}; its rows are left out`;
      yield rejectItem(name, rowStart + 1, reason, '');
      rowStart = rowEnd;
      continue;
    }
    for (const [offset, row] of rows.entries()) {
      yield toDocument.toItem(rowStart + offset + 1, (column) => readValue(row, column), () => rowText(row));
    }
    rowStart = rowEnd;
  }
}

function readValue(row: Record<string, unknown>, column: string): FieldValue {
  if (!Object.hasOwn(row, column)) return { state: 'missing' };
  const value = fromParquet(row[column]);
  return value instanceof Unusable ? { state: 'invalid', reason: `column ${JSON.stringify(column)} ${value.reason}` } : { state: 'present', value };
}

class Unusable {
  constructor(readonly reason: string) {}
}

/** A value as JSONL would give it: exact numbers, ISO dates, lists of those; bytes are unusable. */
function fromParquet(value: unknown): unknown {
  if (value === undefined) return null; // a null list or group reads as undefined
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : new Unusable(`holds ${value}, too large to keep exactly as a number`);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? new Unusable('holds an invalid date') : value.toISOString();
  if (value instanceof Uint8Array) return new Unusable('holds binary data (bytes without a text type), not text');
  if (Array.isArray(value)) {
    const items = value.map(fromParquet);
    return items.find((item) => item instanceof Unusable) ?? items;
  }
  return value;
}

/** The row's text for a reject's excerpt. */
function rowText(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? `<${value.length} bytes>` : value));
}
