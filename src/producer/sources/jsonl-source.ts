// A JSON Lines file as documents: one JSON object per line. Fields named for text, id or metadata
// can only be checked line by line, so a missing one rejects that line rather than the run.
// Blank lines are skipped silently (a trailing one is common).
import { readByteLines } from './byte-lines.ts';
import type { FieldSelection } from './field-selection.ts';
import { describeValue } from '../../contracts/value-kind.ts';
import { RecordToDocument } from './record-to-document.ts';
import { DEFAULT_MAX_ROW_BYTES, EXCERPT_SOURCE_BYTES } from './source-limits.ts';
import { rejectItem, type SourceItem } from './source-item.ts';
import type { ByteInput } from './text-bytes.ts';
import { decodeUtf8, decodeUtf8Lenient } from './utf8.ts';

export interface JsonlSourceOptions extends FieldSelection {
  /** Lines over this many bytes are rejected (default 8 MiB). */
  maxRowBytes?: number;
  /** Where the bytes come from (default: the file at the path, which then only names it). */
  bytes?: ByteInput;
}

export async function* jsonlSource(path: string, options: JsonlSourceOptions): AsyncGenerator<SourceItem> {
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const toDocument = new RecordToDocument(path, options, 'field');
  for await (const entry of readByteLines(path, maxRowBytes, options.bytes)) {
    if (entry.oversized) {
      yield rejectItem(path, entry.line, `line is ${entry.byteLength} bytes, over the limit of ${maxRowBytes} (--max-row-bytes, maxRowBytes)`, decodeUtf8Lenient(entry.head));
      continue;
    }
    const text = decodeUtf8(entry.bytes);
    if (text === undefined) {
      yield rejectItem(path, entry.line, 'line is not valid UTF-8', decodeUtf8Lenient(entry.bytes.subarray(0, EXCERPT_SOURCE_BYTES)));
      continue;
    }
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield rejectItem(path, entry.line, `invalid JSON: ${(err as Error).message}`, text);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield rejectItem(path, entry.line, `line is ${describeValue(value)}, not a JSON object`, text);
      continue;
    }
    const record = value as Record<string, unknown>;
    yield toDocument.toItem(
      entry.line,
      (name) => (Object.hasOwn(record, name) ? { state: 'present', value: record[name] } : { state: 'missing' }),
      () => text,
    );
  }
}
