// Where to cut a document: greedy windows of pieces (piece-table.ts) up to the token and character
// limits, each ending at the strongest cut point in its second half, then checked with the real
// tokenizer. Consecutive windows share about `overlap` tokens, starting at the strongest cut point
// in that tail. Linear in the text: every piece is counted once, and each window looks only at its
// own pieces. Where the tokenizer's counts add up over whitespace (whitespace-additivity.ts), a
// window whose pieces meet only at whitespace is not re-tokenized: the sum of its pieces' counts is
// the count, so a long document is counted word by word (from a cache) and never as a whole.
import { hasOnlySeparatingWhitespace } from '../../embed/whitespace-additivity.ts';
import { maxChunkChars, type ChunkSettings } from './chunk-settings.ts';
import type { ChunkTokenizer } from './chunk-tokenizer.ts';
import { buildPieceTable, type PieceTable } from './piece-table.ts';

export interface ChunkSpan {
  start: number;
  end: number;
  /** Tokens of text.slice(start, end), special tokens included, as the tokenizer counts them. */
  tokens: number;
}

const WHITESPACE = /\s/;

export function chunkSpans(text: string, tokenizer: ChunkTokenizer, settings: ChunkSettings): ChunkSpan[] {
  const first = text.search(/\S/);
  if (first === -1) return [];
  let last = text.length;
  while (WHITESPACE.test(text[last - 1])) last--;
  const limit = settings.chunkTokens + tokenizer.specialTokenCount;
  const maxChars = maxChunkChars(settings);
  const limits = { maxTokens: settings.chunkTokens, maxChars };
  const additive = tokenizer.whitespaceAdditive === true && hasOnlySeparatingWhitespace(text);
  const pieces = additive ? buildPieceTable(text, tokenizer, limits) : undefined;
  // Most documents fit one chunk: one count decides it, a sum where counts add up, else one tokenizer call.
  if (last - first <= maxChars) {
    const summed = pieces !== undefined && meetOnlyAtSpace(pieces, 0, pieces.count);
    const tokens = summed ? tokenizer.specialTokenCount + pieces.tokensBefore[pieces.count] : tokenizer.encode(text.slice(first, last)).length;
    if (tokens <= limit) return [{ start: first, end: last, tokens }];
  }
  return new WindowPacker(text, tokenizer, settings, pieces ?? buildPieceTable(text, tokenizer, limits), additive).spans();
}

/** Whether pieces [from, end) meet only at whitespace, so their count is the sum of theirs. */
function meetOnlyAtSpace(pieces: PieceTable, from: number, end: number): boolean {
  return pieces.cutsWithoutSpaceBefore[end] === pieces.cutsWithoutSpaceBefore[from + 1];
}

class WindowPacker {
  private readonly text: string;
  private readonly tokenizer: ChunkTokenizer;
  private readonly pieces: PieceTable;
  private readonly chunkTokens: number;
  private readonly overlap: number;
  private readonly maxChars: number;
  private readonly limit: number;
  /** Whether windows meeting only at whitespace are counted by summing (see the header). */
  private readonly additive: boolean;
  private furthest = 1;

  constructor(text: string, tokenizer: ChunkTokenizer, settings: ChunkSettings, pieces: PieceTable, additive: boolean) {
    this.text = text;
    this.additive = additive;
    this.tokenizer = tokenizer;
    this.pieces = pieces;
    this.chunkTokens = settings.chunkTokens;
    this.overlap = settings.overlap;
    this.maxChars = maxChunkChars(settings);
    this.limit = settings.chunkTokens + tokenizer.specialTokenCount;
  }

  spans(): ChunkSpan[] {
    const n = this.pieces.count;
    const spans: ChunkSpan[] = [];
    let from = 0; // first piece of the window
    let previousEnd = 0; // end (exclusive piece index) of the previous window; from..previousEnd is the overlap
    for (;;) {
      let window = this.window(from, previousEnd);
      // The tokenizer found the overlap too big to leave room for anything new: drop the overlap.
      if (window.end <= previousEnd) {
        from = previousEnd;
        window = this.window(from, previousEnd);
      }
      spans.push({ start: this.pieces.start[from], end: this.pieces.end[window.end - 1], tokens: window.tokens });
      if (window.end === n) return spans;
      let next = this.overlapStart(from, window.end);
      // The next window must reach past this one; if the overlap leaves no room for that, drop it.
      if (next < window.end && !this.fits(next, window.end + 1)) next = window.end;
      previousEnd = window.end;
      from = next;
    }
  }

  /** The window starting at piece `from`: its end (exclusive) and its measured tokens. */
  private window(from: number, previousEnd: number): { end: number; tokens: number } {
    const n = this.pieces.count;
    // `furthest` only moves forward: the furthest end that fits never shrinks as `from` advances.
    this.furthest = Math.max(this.furthest, from + 1);
    while (this.furthest < n && this.fits(from, this.furthest + 1)) this.furthest++;
    let end = this.furthest === n ? n : this.bestEnd(from, previousEnd, this.furthest);
    let tokens = this.measure(from, end);
    while (tokens > this.limit) {
      // Only where the tokenizer is not additive at a cut (inside a word, or not BERT): give back a piece.
      if (end - 1 <= from) throw new Error(`chunker: piece ${from} alone has ${tokens} tokens, over ${this.limit}`);
      end--;
      tokens = this.measure(from, end);
    }
    return { end, tokens };
  }

  private tokens(from: number, end: number): number {
    return this.pieces.tokensBefore[end] - this.pieces.tokensBefore[from];
  }

  private fits(from: number, end: number): boolean {
    return this.tokens(from, end) <= this.chunkTokens && this.pieces.end[end - 1] - this.pieces.start[from] <= this.maxChars;
  }

  private measure(from: number, end: number): number {
    if (this.additive && meetOnlyAtSpace(this.pieces, from, end)) return this.tokenizer.specialTokenCount + this.tokens(from, end);
    return this.tokenizer.encode(this.text.slice(this.pieces.start[from], this.pieces.end[end - 1])).length;
  }

  /**
   * The end with the strongest cut point (latest among equals) that still fills at least half of
   * the room the window had for new text: a paragraph end at 60% beats a word end at 100%, but a
   * window never shrinks to a sliver just to end on a paragraph.
   */
  private bestEnd(from: number, previousEnd: number, furthest: number): number {
    const carried = from < previousEnd ? this.tokens(from, previousEnd) : 0;
    const minTokens = carried + Math.ceil((this.chunkTokens - carried) / 2);
    let best = furthest;
    for (let end = furthest - 1; end > Math.max(from, previousEnd) && this.tokens(from, end) >= minTokens; end--) {
      if (this.pieces.boundaryBefore[end] > this.pieces.boundaryBefore[best]) best = end;
    }
    return best;
  }

  /**
   * Where the next window starts: the earliest piece whose tail up to `end` holds at most `overlap`
   * tokens, moved later to a stronger cut point (a sentence start) if one keeps at least half of
   * the overlap. Always after `from`, so windows move forward.
   */
  private overlapStart(from: number, end: number): number {
    if (this.overlap === 0) return end;
    let earliest = end;
    while (earliest - 1 > from && this.tokens(earliest - 1, end) <= this.overlap) earliest--;
    const minTokens = Math.ceil(this.overlap / 2);
    let best = earliest;
    for (let start = earliest + 1; start < end && this.tokens(start, end) >= minTokens; start++) {
      if (this.pieces.boundaryBefore[start] > this.pieces.boundaryBefore[best]) best = start;
    }
    return best;
  }
}
