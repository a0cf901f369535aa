// Opens a source by the generic steps every format shares, and nothing format-specific: find the
// path (a file, a folder, or "-" for stdin, spooled to a file first), see whether it is compressed
// (by its magic bytes), pick the format from the table in formats.ts (by --format, else the
// extension), refuse options that do not apply to it, and let the format's entry check what it can
// before the run starts (a CSV header, a Parquet schema). Reading happens later, lazily, in read().
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { describeValue } from '../../contracts/value-kind.ts';
import { EmbedlineError } from '../../errors.ts';
import {
  COMPRESSIONS,
  compressionOf,
  FIELD_OPTIONS,
  formatEntry,
  formatOfExtension,
  formatsTaking,
  knownExtensions,
  SOURCE_FORMATS,
  streamedFormats,
  type CompressedInput,
  type Compression,
  type SourceFormat,
  type SourceInput,
  type SourceOptionName,
  type SourceOptions,
  type SourceReader,
} from './formats.ts';
import type { SourceItem } from './source-item.ts';
import { spoolStdin, STDIN_NAME, STDIN_PATH } from './stdin-source.ts';
import { fileBytes } from './text-bytes.ts';

export { SOURCE_FORMATS, type SourceFormat, type SourceOptions } from './formats.ts';

export interface Source {
  /** The source as the user named it (a path, or "stdin"). */
  readonly path: string;
  readonly format: SourceFormat;
  /** Set when the file was read through a decompressor. */
  readonly compression?: Compression;
  /** Documents and rejects in file order. Each call reads the source again from the start. */
  read(): AsyncGenerator<SourceItem>;
  /** Frees what opening took (stdin's spooled copy); call it once the run has ended, however it ended. */
  close(): Promise<void>;
}

/** How each option is named to the user: the library's name and the CLI's flag. */
const OPTION_LABELS: Record<SourceOptionName, string> = {
  textFields: 'text fields (--text-column, textFields)',
  idField: 'an id field (--id-column, idField)',
  metadataFields: 'metadata fields (--metadata-columns, metadataFields)',
  listFields: 'list fields (--list-column, listFields)',
  numberFields: 'number fields (--number-columns, numberFields)',
  delimiter: 'a delimiter (--delimiter, delimiter)',
  quote: 'a quote character (quote)',
  relaxQuotes: 'relaxQuotes',
  maxRowBytes: 'a row size limit (--max-row-bytes, maxRowBytes)',
  extensions: 'extensions',
  maxFileBytes: 'a file size limit (--max-file-bytes, maxFileBytes)',
};

export async function openSource(path: string, given: SourceOptions = {}): Promise<Source> {
  const options = withNameLists(given);
  if (options.format !== undefined && !SOURCE_FORMATS.includes(options.format)) {
    throw new EmbedlineError('INPUT_INVALID', `unknown source format ${JSON.stringify(options.format)}: use ${SOURCE_FORMATS.join(', ')}`);
  }
  checkLimit('maxRowBytes', options.maxRowBytes);
  checkLimit('maxFileBytes', options.maxFileBytes);
  if (path !== STDIN_PATH) return openPath(path, path, options, async () => {});
  if (options.format === undefined) {
    throw new EmbedlineError('INPUT_INVALID', `reading the source from stdin (-) needs a format: pass --format (format) ${SOURCE_FORMATS.filter((f) => formatEntry(f).kind === 'file').join(', ')}`);
  }
  const spool = await spoolStdin();
  try {
    return await openPath(spool.path, STDIN_NAME, options, spool.remove);
  } catch (err) {
    await spool.remove();
    throw err;
  }
}

async function openPath(path: string, name: string, options: SourceOptions, close: () => Promise<void>): Promise<Source> {
  const isDirectory = await statDirectory(path, name);
  const compression = isDirectory ? undefined : compressionOf(await firstBytes(path, name));
  // The format is in the name without a compression suffix; the magic bytes alone decide whether
  // the bytes are decompressed (a .gz name over plain text is read as plain text).
  const suffix = Object.values(COMPRESSIONS).find((entry) => name.toLowerCase().endsWith(entry.suffix))?.suffix;
  const formatName = suffix === undefined ? name : name.slice(0, -suffix.length);
  const format = options.format ?? detectFormat(name, isDirectory, formatName);
  const entry = formatEntry(format);
  if ((entry.kind === 'folder') !== isDirectory) {
    throw new EmbedlineError('SOURCE_INVALID', `${name} is ${isDirectory ? 'a folder' : 'a file'}, but the source format is ${format}`, {
      details: { path: name, format },
    });
  }
  if (compression !== undefined && !entry.streamed) {
    throw new EmbedlineError('SOURCE_INVALID', `${name} is ${compression}-compressed, which a ${format} source cannot be: only ${streamedFormats().join(', ')} can`, {
      details: { path: name, format, compression },
    });
  }
  checkOptionsApply(name, format, entry.options, options);
  const compressed: CompressedInput | undefined = compression === undefined ? undefined : COMPRESSIONS[compression].open(path, name);
  const input: SourceInput = { path, name, bytes: compressed?.bytes ?? fileBytes(path) };
  const reader = await entry.open(input, options);
  return { path: name, format, compression, read: compressed ? withDamage(reader, compressed) : reader, close };
}

/** The reader, followed by the decompressor's reject when the stream broke off. */
function withDamage(reader: SourceReader, compressed: CompressedInput): SourceReader {
  return async function* () {
    yield* reader();
    const damage = compressed.damage();
    if (damage) yield damage;
  };
}

/** `nameForFormat`: the path without its compression suffix, whose extension names the format. */
export function detectFormat(path: string, isDirectory: boolean, nameForFormat = path): SourceFormat {
  if (isDirectory) return 'folder';
  const format = formatOfExtension(extname(nameForFormat).toLowerCase());
  if (format) return format;
  const suffixes = Object.values(COMPRESSIONS).map((compression) => compression.suffix);
  const compressed = suffixes.length === 0 ? '' : `, the text ones also compressed (${suffixes.join(', ')})`;
  throw new EmbedlineError(
    'SOURCE_INVALID',
    `cannot tell the format of ${path} from its extension (expected ${knownExtensions().join(', ')}${compressed}, or a folder); pass a format`,
    { details: { path } },
  );
}

/** An option given to a format it does not apply to is refused, naming the option and where it applies. */
function checkOptionsApply(name: string, format: SourceFormat, applies: readonly SourceOptionName[], options: SourceOptions): void {
  const given = (Object.keys(OPTION_LABELS) as SourceOptionName[]).filter((option) => isGiven(options[option]) && !applies.includes(option));
  if (given.length === 0) return;
  if (given.some((option) => (FIELD_OPTIONS as readonly SourceOptionName[]).includes(option))) {
    const why = formatEntry(format).kind === 'folder' ? ': each file is one document' : '';
    throw new EmbedlineError('INPUT_INVALID', `text, id and metadata fields do not apply to a ${format} source (${name})${why}`);
  }
  const option = given[0]!;
  throw new EmbedlineError('INPUT_INVALID', `${OPTION_LABELS[option]} does not apply to a ${format} source (${name}); only to ${formatsTaking(option).join(', ')}`);
}

function isGiven(value: unknown): boolean {
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

async function statDirectory(path: string, name: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    throw fileError(err, name);
  }
}

/** The first bytes of a file, for its magic number (fewer when the file is shorter). */
async function firstBytes(path: string, name: string): Promise<Uint8Array> {
  try {
    const file = await open(path);
    try {
      const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(8), position: 0 });
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (err) {
    throw fileError(err, name);
  }
}

function fileError(err: unknown, name: string): EmbedlineError {
  const code = (err as NodeJS.ErrnoException).code;
  const message = code === 'ENOENT' ? `source not found: ${name}` : `cannot read source ${name}: ${(err as Error).message}`;
  return new EmbedlineError('SOURCE_INVALID', message, { details: { path: name }, cause: err });
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
