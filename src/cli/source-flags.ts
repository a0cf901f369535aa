// The flags that say how to read a corpus and cut it into chunks, shared by every command that reads
// one (`ingest`, `eval compare SOURCE --queries`), so the same corpus is read and chunked the same
// way whichever command reads it: one definition of the flags, their help texts and their parsing.
import { Option, type Command } from 'commander';
import type { Embedder } from '../embed/embedder.ts';
import { chunkSettingsForModel, type ChunkSettings } from '../producer/chunking/chunk-settings.ts';
import { COMPRESSIONS, formatEntry, formatsTaking, SOURCE_FORMATS, type SourceFormat, type SourceOptions } from '../producer/sources/formats.ts';
import { STDIN_PATH } from '../producer/sources/stdin-source.ts';
import { nonNegativeInt, positiveInt } from './model-options.ts';
import { EmbedlineError } from '../errors.ts';

export interface SourceFlags {
  textColumn?: string[];
  idColumn?: string;
  metadataColumns?: string;
  textField?: string[];
  idField?: string;
  metadataFields?: string;
  listColumn?: string[];
  numberColumns?: string;
  format?: SourceFormat;
  delimiter?: string;
  chunkTokens?: string;
  overlap?: string;
  maxRowBytes?: string;
  maxFileBytes?: string;
}

/** Each flag as the user types it, by its key in SourceFlags. */
const FLAG_NAMES: Record<keyof SourceFlags, string> = {
  textColumn: '--text-column',
  idColumn: '--id-column',
  metadataColumns: '--metadata-columns',
  textField: '--text-field',
  idField: '--id-field',
  metadataFields: '--metadata-fields',
  listColumn: '--list-column',
  numberColumns: '--number-columns',
  format: '--format',
  delimiter: '--delimiter',
  chunkTokens: '--chunk-tokens',
  overlap: '--overlap',
  maxRowBytes: '--max-row-bytes',
  maxFileBytes: '--max-file-bytes',
};

const collect = (value: string, previous: string[] = []) => [...previous, ...splitList(value)];

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Adds the source and chunking flags, in the order `--help` shows them. */
export function addSourceOptions(command: Command): Command {
  return command
    .option('--text-column <names>', 'column(s) to index (CSV, TSV, Parquet); repeat or comma-separate; several are joined with a blank line', collect)
    .option('--id-column <name>', 'column with a stable document id (default: file name and line, or row for Parquet)')
    .option('--metadata-columns <names>', 'columns kept as payload and filterable, comma-separated')
    .option('--text-field <names>', 'JSONL field(s) to index', collect)
    .option('--id-field <name>', 'JSONL field with the document id')
    .option('--metadata-fields <names>', 'JSONL fields kept as payload, comma-separated')
    .option('--list-column <name[:sep]>', 'a metadata column (or JSONL string field) holding a list, stored as an array: filters match any item; sep defaults to ";"; repeatable', (v: string, p: string[] = []) => [...p, v])
    .option('--number-columns <names>', 'metadata columns holding numbers, stored as numbers (range filters); a cell that is not one is a reject; comma-separated')
    .addOption(new Option('--format <format>', formatHelp()).choices(SOURCE_FORMATS))
    .option('--delimiter <char>', `delimiter of ${formatsTaking('delimiter').join(' and ')} sources (default , or tab for tsv)`)
    .option('--chunk-tokens <n>', "tokens per chunk (default: the model's limit minus special tokens)")
    .option('--overlap <n>', 'tokens shared by consecutive chunks (default 32)')
    .option('--max-row-bytes <n>', `rows (lines) of ${formatsTaking('maxRowBytes').join(', ')} sources over this many bytes are rejected (default 8388608, 8 MiB)`)
    .option('--max-file-bytes <n>', `files of ${formatsTaking('maxFileBytes').join(', ')} sources over this many bytes are rejected (default 67108864, 64 MiB)`);
}

/** The --format help, from the table: each format with its extensions, compression and stdin. */
function formatHelp(): string {
  const formats = SOURCE_FORMATS.map((format) => {
    const extensions = formatEntry(format).extensions;
    return extensions.length === 0 ? format : `${format} (${extensions.join(' ')})`;
  });
  const compressed = Object.entries(COMPRESSIONS).map(([name, entry]) => `${entry.suffix} (${name}) after a text format's extension`);
  return `source format: ${formats.join(', ')}; default: from the extension, ${compressed.join(', ')}, or a folder; required when the source is ${STDIN_PATH} (stdin)`;
}

/** The source flags the user gave, by name: a command that reads no corpus in some mode refuses them there. */
export function sourceFlagsGiven(flags: SourceFlags): string[] {
  return (Object.keys(FLAG_NAMES) as Array<keyof SourceFlags>).filter((key) => flags[key] !== undefined).map((key) => FLAG_NAMES[key]);
}

/** CSV column flags and JSONL field flags name the same thing; either spelling works for both. */
export function sourceOptions(flags: SourceFlags): SourceOptions {
  const textFields = [...(flags.textColumn ?? []), ...(flags.textField ?? [])];
  const metadataFields = [...splitList(flags.metadataColumns), ...splitList(flags.metadataFields)];
  return {
    format: flags.format,
    delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter,
    textFields: textFields.length > 0 ? textFields : undefined,
    idField: flags.idColumn ?? flags.idField,
    metadataFields,
    listFields: flags.listColumn === undefined ? undefined : Object.fromEntries(flags.listColumn.map(listColumnFlag)),
    numberFields: flags.numberColumns === undefined ? undefined : splitList(flags.numberColumns),
    maxRowBytes: flags.maxRowBytes === undefined ? undefined : positiveInt(flags.maxRowBytes, '--max-row-bytes'),
    maxFileBytes: flags.maxFileBytes === undefined ? undefined : positiveInt(flags.maxFileBytes, '--max-file-bytes'),
  };
}

/** Default separator of a --list-column given without one. */
export const DEFAULT_LIST_SEPARATOR = ';';

/**
 * `tags` or `tags:;` (separator after the last colon): [column, separator]. A separator that is
 * itself a colon is written `tags::`.
 */
export function listColumnFlag(value: string): [string, string] {
  const match = /^(.+):(.+)$/s.exec(value);
  const [column, separator] = match ? [match[1], match[2]] : [value, DEFAULT_LIST_SEPARATOR];
  if (column.trim() === '') throw new EmbedlineError('INPUT_INVALID', `--list-column ${JSON.stringify(value)}: give a column name, like tags or tags:;`);
  return [column.trim(), separator];
}

/** The chunk sizes the flags ask for (undefined: the defaults), before the model's limit is known. */
export function chunkOptionsFromFlags(flags: SourceFlags): { chunkTokens?: number; overlap?: number } {
  return {
    chunkTokens: flags.chunkTokens === undefined ? undefined : positiveInt(flags.chunkTokens, '--chunk-tokens'),
    overlap: flags.overlap === undefined ? undefined : nonNegativeInt(flags.overlap, '--overlap'),
  };
}

/** The chunk settings the flags ask for, checked against the model's token limit less the document prompt's tokens. */
export function chunkSettingsFromFlags(flags: SourceFlags, embedder: Embedder, documentPrompt = ''): ChunkSettings {
  return chunkSettingsForModel(embedder, documentPrompt, chunkOptionsFromFlags(flags));
}
