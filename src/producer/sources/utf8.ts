// Text encoding helpers every source shares: strict UTF-8 decoding (invalid bytes are reported,
// never silently turned into U+FFFD), the byte order mark, and the UTF-16 surrogate test that
// keeps cuts from splitting a character.

/** The UTF-8 byte order mark some editors (and Excel) put at the start of a file. */
export const UTF8_BOM: readonly number[] = [0xef, 0xbb, 0xbf];

export function startsWithUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((byte, i) => bytes[i] === byte);
}

/** The bytes after a leading UTF-8 byte order mark (the same bytes when there is none). */
export function withoutUtf8Bom(bytes: Buffer): Buffer {
  return startsWithUtf8Bom(bytes) ? bytes.subarray(UTF8_BOM.length) : bytes;
}

/** A UTF-16 byte order mark (either byte order): such a file must be converted, not read as UTF-8. */
export function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** The first half of a surrogate pair: a cut just after it would leave half a character. */
export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The decoded text, or undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** For excerpts and error messages only: invalid bytes become U+FFFD. */
export function decodeUtf8Lenient(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** 1-based line of the first invalid byte, for pointing a user at the damage. */
export function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  // The lenient decoding keeps line breaks where they were, and the first U+FFFD it produced marks
  // the first invalid byte (unless the file also holds genuine U+FFFD characters before it).
  const text = decodeUtf8Lenient(bytes);
  const at = text.indexOf('\uFFFD');
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
