// A folder of text files as documents, one per file, found recursively in a stable (sorted) order.
// The id is the file's path relative to the folder, with / separators, so it is the same on every
// machine. Hidden entries (names starting with ".") and symbolic links are skipped; files with
// other extensions are ignored without a reject, since folders hold images and the like.
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, EXCERPT_SOURCE_BYTES } from './source-limits.ts';
import { rejectItem, type SourceItem } from './source-item.ts';
import { decodeUtf8, decodeUtf8Lenient, lineOfFirstInvalidByte } from './utf8.ts';

export interface FolderSourceOptions {
  /** Extensions read, lower case with the dot (default .txt and .md). */
  extensions?: string[];
  /** Files over this many bytes are rejected (default 64 MiB). */
  maxFileBytes?: number;
}

export const DEFAULT_FOLDER_EXTENSIONS = ['.txt', '.md'];

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* folderSource(root: string, options: FolderSourceOptions = {}): AsyncGenerator<SourceItem> {
  const extensions = new Set((options.extensions ?? DEFAULT_FOLDER_EXTENSIONS).map((ext) => ext.toLowerCase()));
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for await (const relativePath of walkFiles(root, '')) {
    if (!extensions.has(extname(relativePath).toLowerCase())) continue;
    yield await readTextFile(root, relativePath, maxFileBytes);
  }
}

/** Relative paths (with /) of the regular files under a folder, depth first, names sorted. */
async function* walkFiles(root: string, relativeDir: string): AsyncGenerator<string> {
  const entries = await readdir(join(root, relativeDir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isDirectory()) yield* walkFiles(root, relativePath);
    else if (entry.isFile()) yield relativePath;
  }
}

async function readTextFile(root: string, relativePath: string, maxFileBytes: number): Promise<SourceItem> {
  const path = join(root, relativePath);
  let bytes: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > maxFileBytes) return rejectItem(path, 1, `file is ${size} bytes, over the limit of ${maxFileBytes} (maxFileBytes)`, '');
    bytes = await readFile(path);
  } catch (err) {
    return rejectItem(path, 1, `cannot read the file: ${(err as Error).message}`, '');
  }
  if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) bytes = bytes.subarray(UTF8_BOM.length);
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    return rejectItem(path, lineOfFirstInvalidByte(bytes), 'file is not valid UTF-8', decodeUtf8Lenient(bytes.subarray(0, EXCERPT_SOURCE_BYTES)));
  }
  if (text === '') return rejectItem(path, 1, 'empty file', '');
  if (text.trim() === '') return rejectItem(path, 1, 'file has only whitespace', '');
  const extension = extname(relativePath).slice(1).toLowerCase();
  return { kind: 'document', id: relativePath, text, metadata: { path: relativePath, extension }, source: path, line: 1 };
}
