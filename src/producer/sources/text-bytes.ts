// A text file's bytes, ready for a reader: the UTF-8 byte order mark removed and CRLF line ends
// turned into LF, as a stream (CSV, JSONL) or all at once (a folder's files). Normalising line ends
// here keeps line numbers exact (csv-parse counts a CRLF inside a quoted field as two lines) and
// makes a document's content hash the same whether its file was saved on Windows or not, in every
// source. Lone CRs are left alone. The bytes come from a ByteInput: the file itself, or a
// decompressing stream of it (gzip-source.ts).
import { createReadStream } from 'node:fs';
import { EmbedlineError } from '../../errors.ts';
import { startsWithUtf16Bom, withoutUtf8Bom } from './utf8.ts';

const CR = 0x0d;
/** The line end every reader splits on, once readTextBytes has turned CRLF into it. */
export const LF = 0x0a;

/**
 * A source file's bytes from the start, as stored or decompressed (gzip): a new stream per call,
 * since a source is read more than once.
 */
export type ByteInput = () => AsyncIterable<Buffer>;

/** The file's bytes as they are on disk. */
export const fileBytes = (path: string): ByteInput => () => createReadStream(path);

/** `path` names the file in messages; `bytes` reads it (default: the file at `path` as it is). */
export async function* readTextBytes(path: string, bytes: ByteInput = fileBytes(path)): AsyncGenerator<Buffer> {
  let atStart = true;
  let pendingCr = false;
  for await (const data of bytes()) {
    let chunk = data as Buffer;
    if (pendingCr) chunk = Buffer.concat([Buffer.from([CR]), chunk]);
    if (atStart) {
      // A BOM split across reads only happens for files under 3 bytes: too short to matter.
      checkNotUtf16(chunk, path);
      chunk = withoutUtf8Bom(chunk);
      atStart = false;
    }
    // A CR at the very end may be the first half of a CRLF split across reads: hold it back.
    pendingCr = chunk.length > 0 && chunk[chunk.length - 1] === CR;
    if (pendingCr) chunk = chunk.subarray(0, chunk.length - 1);
    if (chunk.length > 0) yield crlfToLf(chunk);
  }
  if (pendingCr) yield Buffer.from([CR]);
}

/** A whole file's bytes as readTextBytes would yield them (the UTF-16 check is the caller's). */
export function normalizeTextBytes(bytes: Buffer): Buffer {
  return crlfToLf(withoutUtf8Bom(bytes));
}

function checkNotUtf16(chunk: Buffer, path: string): void {
  if (startsWithUtf16Bom(chunk)) {
    throw new EmbedlineError('SOURCE_INVALID', `${path} is UTF-16 encoded; convert it to UTF-8 first`, { details: { path } });
  }
}

function crlfToLf(chunk: Buffer): Buffer {
  let cr = chunk.indexOf(CR);
  if (cr === -1) return chunk;
  const out = Buffer.allocUnsafe(chunk.length);
  let written = 0;
  let from = 0;
  while (cr !== -1) {
    if (chunk[cr + 1] === LF) {
      written += chunk.copy(out, written, from, cr);
      from = cr + 1; // drop the CR, keep the LF
    }
    cr = chunk.indexOf(CR, cr + 1);
  }
  written += chunk.copy(out, written, from);
  return out.subarray(0, written);
}
