// Which parts of a hit's text to highlight for a query, and which sentences of it to show first.
// Only whole words are marked: a word of the text is marked when it is one of the query's words
// (not stop words), compared case-insensitively, a plural and its singular counting as one
// ("stars" marks "star" and "stars", never "start"). Words keep their inner apostrophes
// ("they're" is one word), so a fragment such as "re" is never marked inside one.
// Returns plain segments; the page renders them as text nodes and <mark> elements, never as HTML,
// so a chunk holding markup is shown as the characters it contains.

const STOP_WORDS = new Set(
  'a an and are as at be by can do does did for from how i in is it its my of on or the to was what when where which who why with you your'.split(' '),
);
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const PLURAL_MIN = 4;

/** A word as compared: lower case, a plural's final "s" dropped (not "ss"). */
function termOf(/** @type {string} */ word) {
  const w = word.toLowerCase();
  return w.length > PLURAL_MIN && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

/** @param {string} query @returns {Set<string>} */
export function queryTerms(query) {
  return new Set((query.match(WORD) ?? []).filter((w) => w.length >= 2 && !STOP_WORDS.has(w.toLowerCase())).map(termOf));
}

/**
 * @param {string} text
 * @param {string} query
 * @returns {Array<{text: string, match: boolean}>}
 */
export function highlightSegments(text, query) {
  const terms = queryTerms(query);
  /** @type {Array<{text: string, match: boolean}>} */
  const segments = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    if (!terms.has(termOf(m[0]))) continue;
    if (m.index > last) segments.push({ text: text.slice(last, m.index), match: false });
    segments.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length || segments.length === 0) segments.push({ text: text.slice(last), match: false });
  return segments;
}

/** How many of the query's words a text holds (each occurrence counts). */
function matchCount(/** @type {string} */ text, /** @type {Set<string>} */ terms) {
  let count = 0;
  for (const m of text.matchAll(WORD)) if (terms.has(termOf(m[0]))) count += 1;
  return count;
}

/**
 * The snippet of a chunk: the sentence holding most of the query's words (the first on a tie, the
 * first sentence when none holds any) with one sentence either side. `start`/`end` are offsets in
 * the chunk; `whole` says the window is the whole chunk (nothing to expand).
 * @param {string} text
 * @param {string} query
 * @returns {{text: string, start: number, end: number, whole: boolean}}
 */
export function sentenceWindow(text, query) {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
  // Blank segments (the line break after a title is one) are no sentence.
  const sentences = [...segmenter.segment(text)]
    .filter((s) => s.segment.trim() !== '')
    .map((s) => ({ start: s.index, end: s.index + s.segment.length, text: s.segment }));
  if (sentences.length === 0) return { text, start: 0, end: text.length, whole: true };
  const terms = queryTerms(query);
  let best = 0;
  let bestCount = -1;
  sentences.forEach((s, i) => {
    const count = matchCount(s.text, terms);
    if (count > bestCount) [best, bestCount] = [i, count];
  });
  const first = sentences[Math.max(0, best - 1)];
  const last = sentences[Math.min(sentences.length - 1, best + 1)];
  const start = first.start;
  const end = last.end;
  return { text: text.slice(start, end).trim(), start, end, whole: start === 0 && end >= text.trimEnd().length };
}
