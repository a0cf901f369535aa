// What counts as "nothing to index" or "nothing to search for": text with no visible character.
// `trim()` alone lets through text made of NUL bytes and other control characters, which would be
// embedded as noise; every source asks this one function, so a CSV cell, a JSONL field and a file
// follow the same rule, and so do queries (the search service, and the HTTP schemas' pattern).

/** A character that is neither whitespace nor a control character, as a regular expression's source (unicode mode). */
export const VISIBLE_CHARACTER = '[^\\s\\p{Cc}]';
const VISIBLE = new RegExp(VISIBLE_CHARACTER, 'u');

export type Blankness = 'empty' | 'whitespace' | 'control' | undefined;

/** Why `text` has nothing to index, or undefined when it has a visible character. */
export function blankness(text: string): Blankness {
  if (text === '') return 'empty';
  if (VISIBLE.test(text)) return undefined;
  return text.trim() === '' ? 'whitespace' : 'control';
}

/** The words a reject uses for each kind of blank text. */
export function blanknessReason(kind: Exclude<Blankness, undefined>): string {
  switch (kind) {
    case 'empty':
      return 'empty';
    case 'whitespace':
      return 'only whitespace';
    case 'control':
      return 'only NUL or other control characters';
  }
}
