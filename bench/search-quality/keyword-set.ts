// The keyword-heavy query set: single tokens a user would type to find one document by an exact
// term the embedding does not know. Drawn from a corpus by rule, deterministically:
// - the token occurs in exactly one document (as the keyword index cuts terms, so the expected
//   answer is unambiguous), and
// - it looks like an identifier or code (letters and digits mixed, `M87`, `CO2`, `H2O`), or a rare
//   name (capitalised, not at the start of a sentence, at least 4 letters: `Weiss`, `Kepler`).
// At most `limit` per corpus, picked by a hash of the token (no cherry-picking by outcome).
import { createHash } from 'node:crypto';
import type { RelevanceQuery } from '../../src/eval/retrieval.ts';
import { keywordTerms } from '../../src/store/keyword-terms.ts';
import type { Corpus } from './sets.ts';

const CODE = /^(?=.*\p{L})(?=.*\p{N})[\p{L}\p{N}]{2,}$/u;
const NAME = /^\p{Lu}\p{Ll}{3,}$/u;

export function keywordQueries(corpus: Corpus, limit: number): RelevanceQuery[] {
  const documentFrequency = new Map<string, number>();
  for (const doc of corpus.docs) for (const term of new Set(keywordTerms(doc.text))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const picked = new Map<string, string>();
  for (const doc of corpus.docs) {
    // Raw tokens with the character before them, to tell a name mid-sentence from a sentence's first word.
    for (const match of doc.text.matchAll(/(^|[^\p{L}\p{N}_])([\p{L}\p{N}]+)(?=$|[^\p{L}\p{N}_-])/gu)) {
      const token = match[2];
      const before = doc.text.slice(0, match.index + match[1].length).trimEnd();
      const midSentence = before.length > 0 && !/[.!?:\n]$/.test(before);
      const shaped = CODE.test(token) || (NAME.test(token) && midSentence);
      const terms = keywordTerms(token);
      if (!shaped || terms.length !== 1 || documentFrequency.get(terms[0]) !== 1 || picked.has(token)) continue;
      picked.set(token, doc.id);
    }
  }
  const hash = (token: string) => createHash('sha256').update(token).digest('hex');
  return [...picked]
    .sort(([a], [b]) => (hash(a) < hash(b) ? -1 : 1))
    .slice(0, limit)
    .map(([token, id]) => ({ query: token, expected: [id] }));
}
