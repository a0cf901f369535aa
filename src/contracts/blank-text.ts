// What counts as "nothing to index": text with no visible character. `trim()` alone lets through
// text made of NUL bytes and other control characters, which would be embedded as noise; every
// source asks this one function, so a CSV cell, a JSONL field and a file follow the same rule.

const WHITESPACE_OR_CONTROL = /^[\s\p{Cc}]*$/u;

export type Blankness = 'empty' | 'whitespace' | 'control' | undefined;

/** Why `text` has nothing to index, or undefined when it has a visible character. */
export function blankness(text: string): Blankness {
  if (text === '') return 'empty';
  if (!WHITESPACE_OR_CONTROL.test(text)) return undefined;
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
