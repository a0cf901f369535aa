// What to tell someone whose collection was embedded by another model file than the one at hand
// (another model, or the same model re-quantised, as when the shared int8 file was replaced): the
// vectors do not compare, so the only fix is to re-embed, and every refusal says how.

/** "sha256 3bc5a979b5ce…": enough of a checksum to tell two files apart in one line. */
export function shortChecksum(checksum: string): string {
  return `sha256 ${checksum.slice(0, 12)}…`;
}

/** The fix, spelled as a command: reindex re-embeds the stored chunk texts with the model it is given. */
export function reindexAdvice(collection: string): string {
  return `to use the model you have, re-embed the collection: \`embedline reindex --collection ${collection}\` (with the same --model / --quantized flags)`;
}
