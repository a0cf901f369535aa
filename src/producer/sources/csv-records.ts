// csv-parse as an ordered stream of records and malformed records, each with the line it starts on.
//
// How csv-parse recovers (skip_records_with_error), and what that means for a bad row:
// - A quote inside an unquoted field (`a,5" screen,b`): INVALID_OPENING_QUOTE; only that row is lost.
// - Text after a closing quote (`"abc"x,…`), or a quote opened and never closed: the parser stays
//   inside the quoted field, so the following lines become part of the same record until a quote
//   that legitimately closes it (or the end of the file). That whole span is one malformed record;
//   its reject says which lines it covered. The rows inside it are not yielded.
// - A record over the parser's size cap cannot be recovered (csv-parse drops the rest of the chunk
//   it was reading), so it ends the run with SOURCE_INVALID instead of losing rows silently. The cap
//   also bounds memory when an unclosed quote would otherwise pull the rest of a huge file into one field.
// One bad record can raise several parser errors; they are merged into one malformed record.
//
// Fields come back as latin1 strings: a byte-for-byte copy of the input, so the caller can decode
// UTF-8 strictly per field and name the column holding invalid bytes.
import { pipeline } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { EmbedlineError } from '../../errors.ts';
import { LF, readTextBytes, type ByteInput } from './text-bytes.ts';

export interface CsvReadOptions {
  delimiter: string;
  /** The quote character, or null for files without quoting (plain TSV). */
  quote: string | null;
  relaxQuotes: boolean;
  /** The parser's hard cap on one record, in bytes. */
  maxRecordBytes: number;
  /** Where the bytes come from (default: the file at the path as it is). */
  bytes?: ByteInput;
}

export type CsvEntry =
  | { kind: 'record'; fields: string[]; line: number; raw: string }
  | { kind: 'malformed'; line: number; endLine: number; message: string; raw: string };

interface ParsedRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

/** Pushed into the parser's output from on_skip, so errors arrive in file order with the records. */
interface SkipMarker {
  skipped: CsvError;
  raw: string;
}

interface PendingMalformed {
  line: number;
  message: string;
  /** The raw text and parser line of the latest error in this record. */
  raw: string;
  errorLine: number;
}


export async function* readCsvEntries(path: string, options: CsvReadOptions): AsyncGenerator<CsvEntry> {
  let endsWithNewline = false;
  async function* input(): AsyncGenerator<Buffer> {
    for await (const chunk of readTextBytes(path, options.bytes)) {
      endsWithNewline = chunk[chunk.length - 1] === LF;
      yield chunk;
    }
  }

  const parser = parse({
    encoding: 'latin1',
    bom: false, // readTextBytes removed it; csv-parse would switch the encoding back to utf8 on one
    delimiter: options.delimiter,
    quote: options.quote,
    relax_quotes: options.relaxQuotes,
    relax_column_count: true, // the caller checks field counts and rejects with the row's text
    skip_empty_lines: false, // blank lines arrive as records so they can end a malformed span
    skip_records_with_error: true,
    max_record_size: options.maxRecordBytes,
    info: true,
    raw: true,
    on_skip: (err, raw) => {
      if (!err) return undefined;
      if (err.code === 'CSV_MAX_RECORD_SIZE') throw recordTooLarge(path, err, raw ?? '', options.maxRecordBytes);
      const marker: SkipMarker = { skipped: err, raw: raw ?? '' };
      parser.push(marker);
      return undefined;
    },
  });
  // Errors (unreadable file, UTF-16, size cap) destroy the parser, and the loop below rethrows them.
  pipeline(input(), parser, () => {});

  let pending: PendingMalformed | undefined;
  const finish = (endLine: number): CsvEntry => {
    const done = pending!;
    pending = undefined;
    return { kind: 'malformed', line: done.line, endLine: Math.max(done.line, endLine), message: done.message, raw: done.raw };
  };
  try {
    for await (const entry of parser as AsyncIterable<ParsedRecord | SkipMarker>) {
      if ('skipped' in entry) {
        const errorLine = Number(entry.skipped.lines);
        if (pending && continuesRecord(pending, entry.raw, errorLine)) {
          pending.raw = entry.raw;
          pending.errorLine = errorLine;
          continue;
        }
        const line = errorLine - newlinesBefore(entry.raw);
        if (pending) yield finish(line - 1);
        pending = { line, message: entry.skipped.message, raw: entry.raw, errorLine };
        continue;
      }
      const line = entry.info.lines - newlinesBefore(entry.raw);
      if (pending) yield finish(line - 1);
      if (entry.raw.trim() !== '') yield { kind: 'record', fields: entry.record, line, raw: entry.raw };
    }
    // At the end the parser's line count is one past the last line when the file ends with a newline.
    if (pending) yield finish(parser.info.lines - (endsWithNewline ? 1 : 0));
  } finally {
    parser.destroy();
  }
}

/**
 * Whether a parser error belongs to the malformed record already pending. The raw text of one record
 * only grows between its errors, and every line it gained shows in the parser's line count; a new
 * record starts with fresh raw text after at least one line break that its raw text does not hold.
 */
function continuesRecord(pending: PendingMalformed, raw: string, errorLine: number): boolean {
  return raw.startsWith(pending.raw) && newlinesBefore(raw) - newlinesBefore(pending.raw) === errorLine - pending.errorLine;
}

/**
 * Line breaks inside raw record text that the parser's line count already includes: it counts a
 * line break when it reads the character after it, so a break at the very end is not counted yet.
 */
function newlinesBefore(raw: string): number {
  const end = raw.endsWith('\n') ? raw.length - 1 : raw.length;
  let count = 0;
  for (let i = raw.indexOf('\n'); i !== -1 && i < end; i = raw.indexOf('\n', i + 1)) count++;
  return count;
}

function recordTooLarge(path: string, err: CsvError, raw: string, limit: number): EmbedlineError {
  const line = Number(err.lines) - newlinesBefore(raw);
  return new EmbedlineError(
    'SOURCE_INVALID',
    `${path}: the record starting at line ${line} is over ${limit} bytes, the CSV parser's limit; ` +
      'usually an unclosed quote has joined the rest of the file into one record. Fix the quote, or raise maxRowBytes',
    { details: { path, line, limit } },
  );
}
