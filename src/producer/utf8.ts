// Strict UTF-8 decoding: invalid bytes are reported, never silently turned into U+FFFD.

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
