// The source formats as one table: each entry names its format, the extensions that mean it, the
// options that apply to it, and how to open it. Everything that lists formats or extensions (the
// --format choices, detection, "does not apply" checks, messages) is derived from here, so adding a
// format is one reader file and one line below. Compressions (gzip) are a second, smaller table:
// they wrap the bytes of a text format, found by their magic bytes.
import { EmbedlineError } from '../../errors.ts';
import { csvSource, defaultCsvDelimiter, readCsvHeader, type CsvSourceOptions } from './csv-source.ts';
import { selectFields, type FieldSelection } from './field-selection.ts';
import { folderSource, type FolderSourceOptions } from './folder-source.ts';
import { gunzipInput } from './gzip-source.ts';
import { jsonlSource } from './jsonl-source.ts';
import type { SourceItem } from './source-item.ts';
import type { ByteInput } from './text-bytes.ts';

export interface SourceOptions extends Partial<FieldSelection>, FolderSourceOptions {
  /** Overrides detection by extension or directory (see SOURCE_FORMATS). Required for stdin ("-"). */
  format?: SourceFormat;
  /** CSV/TSV only: see CsvSourceOptions. */
  delimiter?: string;
  quote?: string | null;
  relaxQuotes?: boolean;
  /** CSV/TSV and JSONL: rows over this many bytes are rejected (default 8 MiB). */
  maxRowBytes?: number;
}

/** Every option but the format itself: what a table entry says applies to it. */
export type SourceOptionName = Exclude<keyof SourceOptions, 'format'>;

/** What an entry opens: a file (maybe spooled, maybe decompressed) or a folder. */
export interface SourceInput {
  /** The file or folder to read (for stdin: the spooled copy). */
  path: string;
  /** What messages, rejects and default ids call it: the path the user gave, or "stdin". */
  name: string;
  /** The file's bytes from the start, decompressed when it is compressed (text formats read these). */
  bytes: ByteInput;
}

/** A source opened by its entry: reads the input again from the start on each call. */
export type SourceReader = () => AsyncGenerator<SourceItem>;

interface FormatEntry {
  /** A folder format reads a directory; every other format reads one file. */
  kind: 'file' | 'folder';
  /** Lower case, with the dot; the first is the one messages suggest. */
  extensions: readonly string[];
  /** The options that apply; any other option given is refused, naming it. */
  options: readonly SourceOptionName[];
  /** Whether it reads the bytes as a stream (and so can be gzip-compressed); Parquet seeks. */
  streamed: boolean;
  /** Checks what can be checked before the run (a header, a schema), then gives the reader. */
  open(input: SourceInput, options: SourceOptions): Promise<SourceReader>;
}

/** The options naming a record's fields: they apply to the tabular formats only. */
export const FIELD_OPTIONS = ['textFields', 'idField', 'metadataFields', 'listFields', 'numberFields'] as const satisfies readonly SourceOptionName[];
const CSV_OPTIONS = [...FIELD_OPTIONS, 'delimiter', 'quote', 'relaxQuotes', 'maxRowBytes'] as const satisfies readonly SourceOptionName[];

const FORMAT_TABLE = {
  csv: { kind: 'file', extensions: ['.csv'], options: CSV_OPTIONS, streamed: true, open: (input, options) => openCsv(input, options, 'csv') },
  tsv: { kind: 'file', extensions: ['.tsv', '.tab'], options: CSV_OPTIONS, streamed: true, open: (input, options) => openCsv(input, options, 'tsv') },
  jsonl: {
    kind: 'file',
    extensions: ['.jsonl', '.ndjson'],
    options: [...FIELD_OPTIONS, 'maxRowBytes'],
    streamed: true,
    open: async (input, options) => {
      const selection = selectFields(input.name, 'jsonl', options);
      return () => jsonlSource(input.name, { ...selection, maxRowBytes: options.maxRowBytes, bytes: input.bytes });
    },
  },
  parquet: {
    kind: 'file',
    extensions: ['.parquet'],
    options: FIELD_OPTIONS,
    streamed: false,
    // hyparquet and its compressors load only when a Parquet file is read.
    open: async (input, options) => (await import('./parquet-source.ts')).openParquet(input, selectFields(input.name, 'parquet', options)),
  },
  folder: { kind: 'folder', extensions: [], options: ['extensions', 'maxFileBytes'], streamed: false, open: async (input, options) => () => folderSource(input.path, options) },
} as const satisfies Record<string, FormatEntry>;

export type SourceFormat = keyof typeof FORMAT_TABLE;

export const SOURCE_FORMATS = Object.keys(FORMAT_TABLE) as SourceFormat[];

/** The entry of a format, typed as the table's common shape. */
export function formatEntry(format: SourceFormat): FormatEntry {
  return FORMAT_TABLE[format];
}

/** Compressed files, by the magic bytes they start with; the format is the name without the suffix. */
interface CompressionEntry {
  magic: readonly number[];
  suffix: string;
  /** The decompressed bytes; a damaged stream ends them early and is reported by `damage`. */
  open(path: string, name: string): CompressedInput;
}

export interface CompressedInput {
  bytes: ByteInput;
  /** After a read: a reject naming where the stream broke off, when it did (rows before it are kept). */
  damage(): SourceItem | undefined;
}

export const COMPRESSIONS = {
  gzip: { magic: [0x1f, 0x8b], suffix: '.gz', open: gunzipInput },
} as const satisfies Record<string, CompressionEntry>;

export type Compression = keyof typeof COMPRESSIONS;

/** The compression a file's first bytes show, if any. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  return (Object.keys(COMPRESSIONS) as Compression[]).find((name) => COMPRESSIONS[name].magic.every((byte, i) => head[i] === byte));
}

/** The format an extension means (lower case, with the dot). */
export function formatOfExtension(extension: string): SourceFormat | undefined {
  return SOURCE_FORMATS.find((format) => formatEntry(format).extensions.includes(extension));
}

/** "a.csv, a.tsv, …" for help texts and messages: every extension the table knows. */
export function knownExtensions(): string[] {
  return SOURCE_FORMATS.flatMap((format) => formatEntry(format).extensions);
}

/** The formats an option applies to, for help texts and messages. */
export function formatsTaking(option: SourceOptionName): SourceFormat[] {
  return SOURCE_FORMATS.filter((format) => formatEntry(format).options.includes(option));
}

/** The formats that can be read compressed. */
export function streamedFormats(): SourceFormat[] {
  return SOURCE_FORMATS.filter((format) => formatEntry(format).streamed);
}

async function openCsv(input: SourceInput, options: SourceOptions, format: 'csv' | 'tsv'): Promise<SourceReader> {
  const selection = selectFields(input.name, format, options);
  const csvOptions: CsvSourceOptions = {
    ...selection,
    quote: options.quote,
    relaxQuotes: options.relaxQuotes,
    maxRowBytes: options.maxRowBytes,
    delimiter: options.delimiter ?? defaultCsvDelimiter(input.name, format),
    bytes: input.bytes,
  };
  // csv-parse takes longer delimiters, but then a header like "a;b" is one column and the user hears
  // about a missing column instead of the delimiter they mistyped.
  if ([...(csvOptions.delimiter ?? '')].length !== 1) {
    throw new EmbedlineError('INPUT_INVALID', `the CSV delimiter must be one character, got ${JSON.stringify(csvOptions.delimiter)}`);
  }
  await readCsvHeader(input.name, csvOptions);
  return () => csvSource(input.name, csvOptions);
}
