// Short, safe previews of bad input for the rejects file: bounded length, never half a surrogate pair.

import { isHighSurrogate } from './utf8.ts';

export const EXCERPT_MAX_CHARS = 200;

export function excerpt(text: string, maxChars = EXCERPT_MAX_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  let cut = maxChars - 1; // room for the ellipsis
  if (isHighSurrogate(trimmed.charCodeAt(cut - 1))) cut -= 1;
  return `${trimmed.slice(0, cut)}…`;
}
