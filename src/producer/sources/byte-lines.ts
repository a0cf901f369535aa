// Splits a text file into lines of raw bytes with 1-based line numbers, in bounded memory: a line
// longer than the limit is not accumulated, only its start is kept for the reject's excerpt.
import { EXCERPT_SOURCE_BYTES } from './source-limits.ts';
import { LF, readTextBytes, type ByteInput } from './text-bytes.ts';


export type ByteLine =
  | { line: number; oversized: false; bytes: Buffer }
  | { line: number; oversized: true; head: Buffer; byteLength: number };

export async function* readByteLines(path: string, maxLineBytes: number, bytes?: ByteInput): AsyncGenerator<ByteLine> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let line = 1;

  const finishLine = (): ByteLine => {
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    const result: ByteLine =
      partBytes > maxLineBytes
        ? { line, oversized: true, head: bytes.subarray(0, EXCERPT_SOURCE_BYTES), byteLength: partBytes }
        : { line, oversized: false, bytes };
    parts = [];
    partBytes = 0;
    line++;
    return result;
  };

  const append = (piece: Buffer): void => {
    // Past the limit only the line's length is tracked; a copy of its head is all that is kept.
    if (partBytes <= maxLineBytes) {
      parts.push(piece);
      if (partBytes + piece.length > maxLineBytes) parts = [Buffer.from(Buffer.concat(parts).subarray(0, EXCERPT_SOURCE_BYTES))];
    }
    partBytes += piece.length;
  };

  for await (const chunk of readTextBytes(path, bytes)) {
    let from = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, from)) {
      append(chunk.subarray(from, lf));
      yield finishLine();
      from = lf + 1;
    }
    if (from < chunk.length) append(chunk.subarray(from));
  }
  if (partBytes > 0) yield finishLine();
}
