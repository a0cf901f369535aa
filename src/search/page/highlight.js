// Which parts of a hit's text to highlight for a query: the query's words (not stop words), matched
// case-insensitively at word starts; words of 4+ letters also mark longer forms ("star" → "stars"),
// and a plural's stem marks the singular too ("stars" → "star").
// Returns plain segments; the page renders them as text nodes and <mark> elements, never as HTML,
// so a chunk holding markup is shown as the characters it contains.

const STOP_WORDS = new Set(
  'a an and are as at be by can do does did for from how i in is it its my of on or the to was what when where which who why with you your'.split(' '),
);
const WORD = /[\p{L}\p{N}]+/gu;
const PREFIX_MIN = 4;

/** @param {string} query @returns {string[]} */
export function queryTerms(query) {
  const words = (query.toLowerCase().match(WORD) ?? [])
    .filter((w) => w.length >= 2 && !STOP_WORDS.has(w))
    .map((w) => (w.length > PREFIX_MIN && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/** @param {string} s */
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param {string} text
 * @param {string} query
 * @returns {Array<{text: string, match: boolean}>}
 */
export function highlightSegments(text, query) {
  const terms = queryTerms(query);
  if (terms.length === 0) return [{ text, match: false }];
  const alternatives = terms.map((t) => (t.length >= PREFIX_MIN ? `${escapeRegExp(t)}[\\p{L}\\p{N}]*` : `${escapeRegExp(t)}(?![\\p{L}\\p{N}])`));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})`, 'giu');
  const segments = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) segments.push({ text: text.slice(last, m.index), match: false });
    segments.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false });
  return segments;
}
