// Keyword tokenisation, the one place it happens: the keyword index of both stores is built from
// the terms this module cuts from each chunk's text (LanceDB: a whitespace-joined column under a
// full-text index with its own tokenising turned off; Qdrant: a sparse vector of term weights), and
// every keyword or hybrid query is cut by the same function, so index and query can never disagree.
//
// The rule: Unicode NFKC, lower case, then runs of letters, digits and `_` are terms (so `ERR-4012`
// gives `err` and `4012`, `user_id` stays whole). Runs of Chinese, Japanese (kana) and Korean
// (Hangul) characters, which do not separate words with spaces, become overlapping character
// bigrams (`向量数据` → `向量 量数 数据`; a lone character stays a term), as Lucene's CJK analyzer does.
// Bigrams rather than the model's tokenizer: BERT tokenizers cut CJK text into single characters,
// far too common to rank by; bigrams need no dictionary, do not depend on the collection's model
// (a collection's keyword index stays valid across a reindex with another model), and recall what
// a dictionary segmenter would miss (names, new words). No stemming and no stop words: identifiers
// and codes must match as typed, and the stores' IDF weighs common words down anyway.

/** Han, Hiragana, Katakana and Hangul: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A run of term characters: letters, marks, digits, `_`. */
const TERM_RUN = /[\p{L}\p{M}\p{N}_]+/gu;
/** Longer runs (base64, hashes, minified text) are not searchable words; LanceDB's index drops them too (maxTokenLength). */
export const MAX_TERM_CHARS = 64;

/** The keyword terms of a text, in order, repeats kept (term counts matter to ranking). */
export function keywordTerms(text: string): string[] {
  const terms: string[] = [];
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(TERM_RUN)) {
    // Most runs hold no CJK character: the run is the term, without the walk character by character.
    if (!CJK.test(run)) {
      if (run.length <= MAX_TERM_CHARS) terms.push(run);
      continue;
    }
    let plain = '';
    let cjk: string[] = [];
    const flushPlain = () => {
      if (plain.length > 0 && plain.length <= MAX_TERM_CHARS) terms.push(plain);
      plain = '';
    };
    const flushCjk = () => {
      if (cjk.length === 1) terms.push(cjk[0]);
      for (let i = 0; i + 1 < cjk.length; i++) terms.push(cjk[i] + cjk[i + 1]);
      cjk = [];
    };
    for (const char of run) {
      if (CJK.test(char)) {
        flushPlain();
        cjk.push(char);
      } else {
        flushCjk();
        plain += char;
      }
    }
    flushPlain();
    flushCjk();
  }
  return terms;
}

/** Each distinct term with how often it occurs, in first-seen order. */
export function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of keywordTerms(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
