// How a message names the kind of a value it refuses: `null`, `undefined`, `an array`, `an object`,
// `a number`. One wording for a JSON field of a bad row and a bad argument of a library call.

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
