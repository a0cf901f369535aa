// The last resort of the chunker: cutting inside a "word" that does not fit in a chunk on its own
// (a 5,000-character identifier, CJK text without spaces or punctuation). Cuts are found by a
// search with the tokenizer, and fall between graphemes, so an emoji sequence or a letter with its
// accents stays whole; only a single grapheme too big for a part is cut between code points.
import { isHighSurrogate } from '../sources/utf8.ts';

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * End offsets of consecutive parts of text[start, end) that each satisfy `fits(from, to)`; the last
 * is `end`. `maxChars` bounds every part's length, so each search looks at a bounded window.
 */
export function splitWord(text: string, start: number, end: number, maxChars: number, fits: (from: number, to: number) => boolean): number[] {
  const cuts: number[] = [];
  let from = start;
  while (from < end) {
    const cut = end - from <= maxChars && fits(from, end) ? end : longestFittingPart(text, from, Math.min(end, from + maxChars + 1), end, fits);
    cuts.push(cut);
    from = cut;
  }
  return cuts;
}

/** The furthest grapheme boundary in (from, windowEnd] whose part fits; always makes progress. */
function longestFittingPart(text: string, from: number, windowEnd: number, end: number, fits: (from: number, to: number) => boolean): number {
  const graphemeEnds = new LazyOffsets(graphemeEndsIn(text, from, windowEnd, windowEnd === end));
  const best = lastFitting(graphemeEnds, (to) => fits(from, to));
  if (best !== undefined) return best;
  // Not even one grapheme fits: cut it between code points, never inside a surrogate pair.
  const codePointEnds = new LazyOffsets(codePointEndsIn(text, from, graphemeEnds.at(0) ?? windowEnd));
  return lastFitting(codePointEnds, (to) => fits(from, to)) ?? codePointEnds.at(0)!;
}

/**
 * Ends of the graphemes of text[from, to). When `to` is not known to be a boundary (a window cut
 * inside the word), the last grapheme may be a truncated cluster (half an emoji ZWJ sequence)
 * whose start is no real boundary, so the last one is left out.
 */
function* graphemeEndsIn(text: string, from: number, to: number, toIsBoundary: boolean): Generator<number> {
  let unconfirmed: number | undefined;
  for (const { index } of graphemeSegmenter.segment(text.slice(from, to))) {
    if (index === 0) continue;
    if (unconfirmed !== undefined) yield unconfirmed;
    unconfirmed = from + index;
  }
  if (toIsBoundary) {
    if (unconfirmed !== undefined) yield unconfirmed;
    yield to;
  }
}

function* codePointEndsIn(text: string, from: number, to: number): Generator<number> {
  for (let i = from; i < to; ) {
    i += isHighSurrogate(text.charCodeAt(i)) && i + 1 < to ? 2 : 1;
    yield i;
  }
}

/** Random access into a generator, pulling only as far as asked: segmenting is not free. */
class LazyOffsets {
  private readonly source: Generator<number>;
  private readonly seen: number[] = [];
  private exhausted = false;

  constructor(source: Generator<number>) {
    this.source = source;
  }

  at(index: number): number | undefined {
    while (this.seen.length <= index && !this.exhausted) {
      const next = this.source.next();
      if (next.done) this.exhausted = true;
      else this.seen.push(next.value);
    }
    return this.seen[index];
  }

  /** How many there are; only known once `at` has run past the end. */
  get count(): number {
    return this.seen.length;
  }
}

/**
 * The largest offset accepted by `accepts`, assuming acceptance mostly shrinks as offsets grow:
 * a gallop from the smallest brackets the answer, then a binary search narrows it. The result is
 * always an accepted offset, even where token counts are not monotonic.
 */
function lastFitting(offsets: LazyOffsets, accepts: (to: number) => boolean): number | undefined {
  let good = -1; // largest index known to be accepted
  let bad = -1; // an index known to be rejected; the count when the gallop ran past the end
  for (let index = 0; bad === -1; index = index === 0 ? 1 : index * 2) {
    const offset = offsets.at(index);
    if (offset === undefined) bad = offsets.count;
    else if (accepts(offset)) good = index;
    else bad = index;
  }
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (accepts(offsets.at(mid)!)) good = mid;
    else bad = mid;
  }
  return good === -1 ? undefined : offsets.at(good);
}
