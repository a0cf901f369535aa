// How a search ranks chunks: `dense` by the embedding's similarity (the default), `keyword` by the
// keyword index alone (BM25-style, exact terms: identifiers, codes, rare names), `hybrid` both,
// fused by reciprocal rank (store/rank-fusion.ts). One list and one check for the CLI's --mode, the
// HTTP body's `mode`, the library and the evaluation variants.
import { EmbedlineError } from '../errors.ts';

export const SEARCH_MODES = ['dense', 'keyword', 'hybrid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export const DEFAULT_SEARCH_MODE: SearchMode = 'dense';

export function isSearchMode(value: unknown): value is SearchMode {
  return typeof value === 'string' && (SEARCH_MODES as readonly string[]).includes(value);
}

/** Validates untrusted input (--mode, the HTTP body's `mode`) naming where it came from; undefined is the default. */
export function parseSearchMode(value: unknown, where = 'mode'): SearchMode {
  if (value === undefined) return DEFAULT_SEARCH_MODE;
  if (isSearchMode(value)) return value;
  throw new EmbedlineError('BAD_REQUEST', `${where} must be one of ${SEARCH_MODES.join(', ')}, got ${JSON.stringify(value)}`);
}

/** A comma-separated list of modes (`--modes dense,hybrid`), each checked, repeats dropped, in the order given. */
export function parseSearchModes(list: string, where = '--modes'): SearchMode[] {
  return [...new Set(list.split(',').map((m) => parseSearchMode(m.trim(), where)))];
}
