// A folder of text files as documents, one per file, found recursively in a stable (sorted) order.
// The id is the file's path relative to the folder, with / separators, so it is the same on every
// machine. Hidden entries (names starting with ".") are skipped; files with other extensions are
// ignored without a reject, since folders hold images and the like. Symbolic links are not followed
// (a link can loop or leave the folder): one with an indexed extension is rejected, so the user
// hears why it is missing. So is anything else that is not a regular file (a named pipe, a socket,
// a device): it is never opened, since opening a FIFO blocks until something writes to it. A
// subfolder or file that cannot be read is a reject naming it, and the rest of the folder is still
// read; a folder with no file to index at all is an error.
import type { Dirent, Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { EmbedlineError } from '../../errors.ts';
import { blankness, blanknessReason } from '../../contracts/blank-text.ts';
import { DEFAULT_MAX_FILE_BYTES, EXCERPT_SOURCE_BYTES } from './source-limits.ts';
import { rejectItem, type SourceItem } from './source-item.ts';
import { normalizeTextBytes } from './text-bytes.ts';
import { decodeUtf8, decodeUtf8Lenient, lineOfFirstInvalidByte, startsWithUtf16Bom } from './utf8.ts';

export interface FolderSourceOptions {
  /** Extensions read, lower case with the dot (default .txt and .md). */
  extensions?: string[];
  /** Files over this many bytes are rejected (default 64 MiB). */
  maxFileBytes?: number;
}

export const DEFAULT_FOLDER_EXTENSIONS = ['.txt', '.md'];

export async function* folderSource(root: string, options: FolderSourceOptions = {}): AsyncGenerator<SourceItem> {
  const extensions = new Set((options.extensions ?? DEFAULT_FOLDER_EXTENSIONS).map((ext) => ext.toLowerCase()));
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let matched = 0;
  for await (const entry of walkFiles(root, '')) {
    if (entry.kind === 'unreadable-folder') {
      yield rejectItem(join(root, entry.relativePath), 1, `cannot read the folder: ${fileSystemReason(entry.error)}`, '');
      continue;
    }
    if (!extensions.has(extname(entry.relativePath).toLowerCase())) continue;
    matched++;
    if (entry.kind === 'link') yield rejectItem(join(root, entry.relativePath), 1, 'is a symbolic link; links are not followed', '');
    else if (entry.kind === 'special') yield rejectItem(join(root, entry.relativePath), 1, notRegularReason(entry.what), '');
    else yield await readTextFile(root, entry.relativePath, maxFileBytes);
  }
  if (matched === 0) {
    throw new EmbedlineError('SOURCE_INVALID', `${root} has no ${[...extensions].join(' or ')} files to index`, { details: { path: root } });
  }
}

type FolderEntry =
  | { kind: 'file' | 'link'; relativePath: string }
  /** Neither file, folder nor link: a FIFO, a socket, a device. */
  | { kind: 'special'; relativePath: string; what: string }
  | { kind: 'unreadable-folder'; relativePath: string; error: unknown };

/** Regular files and links (paths relative to the root, with /) under a folder, depth first, names sorted. */
async function* walkFiles(root: string, relativeDir: string): AsyncGenerator<FolderEntry> {
  let entries;
  try {
    entries = await readdir(join(root, relativeDir), { withFileTypes: true });
  } catch (error) {
    // A subfolder that cannot be read costs its own files, not the run; the root costs everything.
    if (relativeDir === '') {
      throw new EmbedlineError('SOURCE_INVALID', `cannot read the folder ${root}: ${fileSystemReason(error)}`, { details: { path: root }, cause: error });
    }
    yield { kind: 'unreadable-folder', relativePath: relativeDir, error };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isDirectory()) yield* walkFiles(root, relativePath);
    else if (entry.isFile()) yield { kind: 'file', relativePath };
    else if (entry.isSymbolicLink()) yield { kind: 'link', relativePath };
    else yield { kind: 'special', relativePath, what: specialKind(entry) };
  }
}

/** What a directory entry or a file's stats say it is, when it is not a regular file. */
function specialKind(entry: Dirent | Stats): string {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  if (entry.isDirectory()) return 'a folder';
  return 'something else';
}

function notRegularReason(what: string): string {
  return `is ${what}, not a regular file; it is not read`;
}

/** A file system error in a few words, without the path the reject already names. */
function fileSystemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it was removed while the folder was read';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code ?? String((error as Error).message ?? error);
  }
}

async function readTextFile(root: string, relativePath: string, maxFileBytes: number): Promise<SourceItem> {
  const path = join(root, relativePath);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    // Replaced by something else since the folder was listed: never open it (a FIFO would block).
    if (!info.isFile()) return rejectItem(path, 1, notRegularReason(specialKind(info)), '');
    const size = info.size;
    if (size > maxFileBytes) return rejectItem(path, 1, `file is ${size} bytes, over the limit of ${maxFileBytes} (--max-file-bytes, maxFileBytes)`, '');
    bytes = await readFile(path);
  } catch (err) {
    return rejectItem(path, 1, `cannot read the file: ${fileSystemReason(err)}`, '');
  }
  // CRLF → LF as the CSV and JSONL readers do: the same text gives the same content hash however it was saved.
  bytes = normalizeTextBytes(bytes);
  if (startsWithUtf16Bom(bytes)) return rejectItem(path, 1, 'file is UTF-16 encoded; convert it to UTF-8', '');
  // Text files hold no NUL byte; binary ones (images, archives renamed .txt) nearly always do.
  if (bytes.includes(0)) return rejectItem(path, 1, 'file holds NUL bytes: a binary file, not text', '');
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    return rejectItem(path, lineOfFirstInvalidByte(bytes), 'file is not valid UTF-8', decodeUtf8Lenient(bytes.subarray(0, EXCERPT_SOURCE_BYTES)));
  }
  const blank = blankness(text);
  if (blank === 'empty') return rejectItem(path, 1, 'empty file', '');
  if (blank !== undefined) return rejectItem(path, 1, `file has ${blanknessReason(blank)}`, '');
  const extension = extname(relativePath).slice(1).toLowerCase();
  return { kind: 'document', id: relativePath, text, metadata: { path: relativePath, extension }, source: path, line: 1 };
}
