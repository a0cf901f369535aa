// The page's highlighting and snippets (src/serve/page/highlight.js), without a browser: only
// whole query words are marked (a plural and its singular count as one word), never a fragment of
// a longer word, and the snippet is the sentence holding most query words with one either side.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error -- plain browser JavaScript without type declarations
import { highlightSegments, sentenceWindow } from '../../src/serve/page/highlight.js';

const marked = (text: string, query: string) =>
  (highlightSegments(text, query) as Array<{ text: string; match: boolean }>).filter((s) => s.match).map((s) => s.text);

test('whole words only: "star" marks star and Stars, never start or starch; stop words are not marked', () => {
  assert.deepEqual(marked('Stars start to starch a star. How?', 'how star'), ['Stars', 'star']);
});

test('"re" is never marked inside a contraction, and a word with an apostrophe is one word', () => {
  assert.deepEqual(marked("They're here; re-entry, re", 're'), ['re', 're']);
  assert.deepEqual(marked("They're here", "they're"), ["They're"]);
  assert.deepEqual(marked("They're here", 're'), []);
});

test('the segments put back together are the text, marks included', () => {
  const text = 'Energy, energies and ENERGY: <b>energy</b>';
  const segments = highlightSegments(text, 'energy') as Array<{ text: string }>;
  assert.equal(segments.map((s) => s.text).join(''), text);
  assert.deepEqual(marked(text, 'energy'), ['Energy', 'ENERGY', 'energy']);
});

test('the snippet is the best sentence with one neighbour each side; blank segments are no sentence', () => {
  const text = 'Title line\n\nOne. Two mentions fusion. Three. Four has fusion and fusion. Five. Six.';
  const window = sentenceWindow(text, 'fusion') as { text: string; start: number; end: number; whole: boolean };
  assert.equal(window.text, 'Three. Four has fusion and fusion. Five.');
  assert.equal(text.slice(window.start, window.end).trim(), window.text);
  assert.equal(window.whole, false);
  const none = sentenceWindow(text, 'zzzqqq') as { text: string };
  assert.equal(none.text, 'Title line\n\nOne.');
  assert.equal((sentenceWindow('Just one.', 'one') as { whole: boolean }).whole, true);
});
