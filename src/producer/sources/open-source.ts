// Picks the reader for a path: a folder, or a file by its extension (or an explicit format), and
// checks what can be checked before the run starts: the path exists, the options fit the format,
// and a CSV header has every named column. Reading happens later, lazily, in read().
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { describeValue } from '../../contracts/value-kind.ts';
import { EmbedlineError } from '../../errors.ts';
import { csvSource, defaultCsvDelimiter, readCsvHeader, type CsvSourceOptions } from './csv-source.ts';
import type { FieldSelection } from './field-selection.ts';
import { folderSource, type FolderSourceOptions } from './folder-source.ts';
import { jsonlSource } from './jsonl-source.ts';
import type { SourceItem } from './source-item.ts';

export const SOURCE_FORMATS = ['csv', 'tsv', 'jsonl', 'folder'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface SourceOptions extends Partial<FieldSelection>, FolderSourceOptions {
  /** Overrides detection by extension (.csv, .tsv/.tab, .jsonl/.ndjson) or directory. */
  format?: SourceFormat;
  /** CSV/TSV only: see CsvSourceOptions. */
  delimiter?: string;
  quote?: string | null;
  relaxQuotes?: boolean;
  /** CSV/TSV and JSONL: rows over this many bytes are rejected (default 8 MiB). */
  maxRowBytes?: number;
}

export interface Source {
  readonly path: string;
  readonly format: SourceFormat;
  /** Documents and rejects in file order. Each call reads the source again from the start. */
  read(): AsyncGenerator<SourceItem>;
}

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

export async function openSource(path: string, given: SourceOptions = {}): Promise<Source> {
  const options = withNameLists(given);
  if (options.format !== undefined && !SOURCE_FORMATS.includes(options.format)) {
    throw new EmbedlineError('INPUT_INVALID', `unknown source format ${JSON.stringify(options.format)}: use ${SOURCE_FORMATS.join(', ')}`);
  }
  const isDirectory = await statDirectory(path);
  const format = options.format ?? detectFormat(path, isDirectory);
  if ((format === 'folder') !== isDirectory) {
    throw new EmbedlineError('SOURCE_INVALID', `${path} is ${isDirectory ? 'a folder' : 'a file'}, but the source format is ${format}`, {
      details: { path, format },
    });
  }
  checkLimit('maxRowBytes', options.maxRowBytes);
  checkLimit('maxFileBytes', options.maxFileBytes);
  if (format === 'folder') {
    if (options.textFields?.length || options.idField !== undefined || options.metadataFields?.length || options.listFields || options.numberFields?.length) {
      throw new EmbedlineError('INPUT_INVALID', `text, id and metadata fields do not apply to a folder source (${path}): each file is one document`);
    }
    return { path, format, read: () => folderSource(path, options) };
  }
  const selection = checkSelection(path, format, options);
  if (format === 'jsonl') return { path, format, read: () => jsonlSource(path, { ...options, ...selection }) };
  const csvOptions: CsvSourceOptions = { ...options, ...selection, delimiter: options.delimiter ?? defaultCsvDelimiter(path, format) };
  // csv-parse takes longer delimiters, but then a header like "a;b" is one column and the user hears
  // about a missing column instead of the delimiter they mistyped.
  if ([...(csvOptions.delimiter ?? '')].length !== 1) {
    throw new EmbedlineError('INPUT_INVALID', `the CSV delimiter must be one character, got ${JSON.stringify(csvOptions.delimiter)}`);
  }
  await readCsvHeader(path, csvOptions);
  return { path, format, read: () => csvSource(path, csvOptions) };
}

export function detectFormat(path: string, isDirectory: boolean): SourceFormat {
  if (isDirectory) return 'folder';
  const format = FORMAT_BY_EXTENSION[extname(path).toLowerCase()];
  if (format) return format;
  throw new EmbedlineError(
    'SOURCE_INVALID',
    `cannot tell the format of ${path} from its extension (expected .csv, .tsv, .tab, .jsonl, .ndjson or a folder); pass a format`,
    { details: { path } },
  );
}

async function statDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `source not found: ${path}` : `cannot read source ${path}: ${(err as Error).message}`;
    throw new EmbedlineError('SOURCE_INVALID', message, { details: { path }, cause: err });
  }
}

function checkSelection(path: string, format: SourceFormat, options: SourceOptions): FieldSelection {
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

/**
 * The options as JavaScript callers may pass them: one name where a list is expected is a list of
 * one (`textFields: 'body'` is the column "body", never "b", "o", "d", "y"); anything else that is
 * not a name is refused, naming the option.
 */
function withNameLists(options: SourceOptions): SourceOptions {
  const list = (option: string, value: unknown): string[] | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((name) => typeof name === 'string')) return value as string[];
    throw new EmbedlineError('INPUT_INVALID', `${option} must be a name or an array of names, got ${describeValue(value)}`);
  };
  if (options.idField !== undefined && typeof options.idField !== 'string') {
    throw new EmbedlineError('INPUT_INVALID', `idField must be a name, got ${describeValue(options.idField)}`);
  }
  return {
    ...options,
    textFields: list('textFields', options.textFields),
    metadataFields: list('metadataFields', options.metadataFields),
    numberFields: list('numberFields', options.numberFields),
    extensions: list('extensions', options.extensions),
  };
}

function checkLimit(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new EmbedlineError('INPUT_INVALID', `${name} must be a positive whole number of bytes, got ${value}`);
  }
}
