// A CSV or TSV file as documents: the header row names the columns; each following row becomes a
// document or a reject (see csv-records.ts for how malformed quoting is recovered from).
import { extname } from 'node:path';
import { EmbedlineError } from '../../errors.ts';
import { readCsvEntries, type CsvEntry, type CsvReadOptions } from './csv-records.ts';
import type { ByteInput } from './text-bytes.ts';
import { checkColumnsPresent, namedFields, type FieldSelection } from './field-selection.ts';
import { RecordToDocument, type FieldValue } from './record-to-document.ts';
import { DEFAULT_MAX_ROW_BYTES, EXCERPT_SOURCE_BYTES } from './source-limits.ts';
import { rejectItem, type SourceItem } from './source-item.ts';
import { decodeUtf8, decodeUtf8Lenient } from './utf8.ts';

export interface CsvSourceOptions extends FieldSelection {
  /** Default: a tab for .tsv and .tab files, a comma otherwise. */
  delimiter?: string;
  /** Default `"`; null for files without quoting, where quotes are ordinary characters. */
  quote?: string | null;
  /** Accept stray quotes inside unquoted fields as text instead of rejecting the row. */
  relaxQuotes?: boolean;
  /** Rows over this many bytes are rejected (default 8 MiB). */
  maxRowBytes?: number;
  /** Where the bytes come from (default: the file at the path, which then only names it). */
  bytes?: ByteInput;
}

/**
 * The parser's own cap, as a multiple of maxRowBytes. Rows between the two limits are rejected;
 * a record over the cap ends the run (csv-parse cannot recover from it, see csv-records.ts).
 */
const PARSER_CAP_FACTOR = 4;

const NON_ASCII = /[\x80-\xff]/;

/** The one place that decides the delimiter when none is given: by the format, else the extension. */
export function defaultCsvDelimiter(path: string, format?: 'csv' | 'tsv'): string {
  const tabs = format === undefined ? ['.tsv', '.tab'].includes(extname(path).toLowerCase()) : format === 'tsv';
  return tabs ? '\t' : ',';
}

export async function* csvSource(path: string, options: CsvSourceOptions): AsyncGenerator<SourceItem> {
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const toDocument = new RecordToDocument(path, options, 'column');
  let header: CsvHeader | undefined;
  for await (const entry of readCsvEntries(path, csvReadOptions(path, options))) {
    if (!header) {
      header = checkHeader(entry, path, options);
      continue;
    }
    const rawText = () => decodeUtf8Lenient(Buffer.from(entry.raw.slice(0, EXCERPT_SOURCE_BYTES), 'latin1'));
    if (entry.kind === 'malformed') {
      yield rejectItem(path, entry.line, malformedReason(entry), rawText());
    } else if (entry.fields.length !== header.width) {
      yield rejectItem(path, entry.line, `expected ${header.width} fields (as in the header), got ${entry.fields.length}`, rawText());
    } else if (entry.raw.length > maxRowBytes) {
      // latin1: one character per byte, so the raw length is the row's size in bytes.
      yield rejectItem(path, entry.line, `row is ${entry.raw.length} bytes, over the limit of ${maxRowBytes} (--max-row-bytes, maxRowBytes)`, rawText());
    } else {
      yield toDocument.toItem(entry.line, (name) => readColumn(entry.fields, header!, name), rawText);
    }
  }
  if (!header) throw new EmbedlineError('SOURCE_INVALID', `${path} is empty: a CSV source needs a header row`, { details: { path } });
}

/** Reads only the header row: for checking the named columns before a run starts. */
export async function readCsvHeader(path: string, options: CsvSourceOptions): Promise<string[]> {
  for await (const entry of readCsvEntries(path, csvReadOptions(path, options))) {
    return checkHeader(entry, path, options).names;
  }
  throw new EmbedlineError('SOURCE_INVALID', `${path} is empty: a CSV source needs a header row`, { details: { path } });
}

interface CsvHeader {
  names: string[];
  width: number;
  indexOf: Map<string, number>;
}

function csvReadOptions(path: string, options: CsvSourceOptions): CsvReadOptions {
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  return {
    delimiter: options.delimiter ?? defaultCsvDelimiter(path),
    quote: options.quote === undefined ? '"' : options.quote,
    relaxQuotes: options.relaxQuotes ?? false,
    maxRecordBytes: maxRowBytes * PARSER_CAP_FACTOR,
    bytes: options.bytes,
  };
}

function checkHeader(entry: CsvEntry, path: string, selection: FieldSelection): CsvHeader {
  if (entry.kind === 'malformed') {
    throw new EmbedlineError('SOURCE_INVALID', `${path}: the header row is malformed: ${entry.message}`, { details: { path } });
  }
  const names = entry.fields.map((field) => {
    const name = decodeUtf8(Buffer.from(field, 'latin1'));
    if (name === undefined) throw new EmbedlineError('SOURCE_INVALID', `${path}: the header row is not valid UTF-8`, { details: { path } });
    return name.trim();
  });
  const indexOf = new Map<string, number>();
  const duplicated = new Set<string>();
  names.forEach((name, index) => (indexOf.has(name) ? duplicated.add(name) : indexOf.set(name, index)));
  checkColumnsPresent(path, selection, names);
  const wanted = namedFields(selection);
  const ambiguous = wanted.filter((name) => duplicated.has(name));
  if (ambiguous.length > 0) {
    throw new EmbedlineError('SOURCE_INVALID', `${path}: column ${JSON.stringify(ambiguous[0])} appears more than once in the header`, {
      details: { path, column: ambiguous[0] },
    });
  }
  return { names, width: names.length, indexOf };
}

function readColumn(fields: string[], header: CsvHeader, name: string): FieldValue {
  const field = fields[header.indexOf.get(name)!];
  if (!NON_ASCII.test(field)) return { state: 'present', value: field };
  const value = decodeUtf8(Buffer.from(field, 'latin1'));
  return value === undefined ? { state: 'invalid', reason: `invalid UTF-8 in column ${JSON.stringify(name)}` } : { state: 'present', value };
}

function malformedReason(entry: Extract<CsvEntry, { kind: 'malformed' }>): string {
  const reason = `malformed CSV: ${entry.message}`;
  if (entry.endLine === entry.line) return reason;
  return `${reason}; the record runs from line ${entry.line} to line ${entry.endLine} (an unbalanced quote joins the lines after it into one record), so those lines are rejected with it`;
}
