// A document as a sequence of pieces the chunker may cut between: words (runs of non-whitespace),
// split further after CJK sentence ends and, as a last resort, inside words too big for a chunk.
// Each cut point has a strength (paragraph > sentence > line break > space > inside a word) and each
// piece a token count, measured once; a window's tokens are then a difference of running sums.
// For BERT the tokens of text cut at whitespace are the sum of its parts' tokens, so the chunker
// sums them (chunk-spans.ts); it measures with the real tokenizer every window that is cut elsewhere,
// and every window of other tokenizers.
import { contentTokenCounter, type ChunkTokenizer } from './chunk-tokenizer.ts';
import { splitWord } from './word-split.ts';

export const Boundary = { insideWord: 0, space: 1, lineBreak: 2, sentence: 3, paragraph: 4 } as const;

export interface PieceTable {
  count: number;
  /** Offsets of piece k in the text: [start[k], end[k]). */
  start: number[];
  end: number[];
  /** Strength of the cut point before piece k (between piece k-1 and k); 0 for k = 0. */
  boundaryBefore: number[];
  /** Content tokens of pieces 0..k-1; length count + 1, so tokens of pieces [a, b) = tokensBefore[b] - tokensBefore[a]. */
  tokensBefore: number[];
  /**
   * How many of the cuts before pieces 1..k-1 have no whitespace at them (inside a word, after a CJK
   * sentence end); length count + 1. Pieces [a, b) meet only at whitespace when
   * cutsWithoutSpaceBefore[b] - cutsWithoutSpaceBefore[a + 1] is 0.
   */
  cutsWithoutSpaceBefore: number[];
}

export interface PieceLimits {
  /** A piece must fit a chunk on its own: at most this many content tokens… */
  maxTokens: number;
  /** …and characters. */
  maxChars: number;
}

/**
 * A word too big for a chunk is cut into parts of about this fraction of a chunk, so that windows
 * and their overlap can still be packed from several parts instead of one part per chunk.
 */
const WORD_PARTS_PER_CHUNK = 8;

const WORD = /\S+/g;
/** Where a sentence ends inside a run without spaces: CJK full stops, with any closing quotes. */
const CJK_SENTENCE_END = /[。！？][」』）】〕》”’"']*/g;
const HAS_CJK_SENTENCE_END = /[。！？]/;
/** A piece that ends a sentence: terminal punctuation, then any closing quotes or brackets. */
const SENTENCE_END = /[.!?。！？…‼⁇⁈⁉][)\]"'”’」』）】〕》]*$/;

export function buildPieceTable(text: string, tokenizer: ChunkTokenizer, limits: PieceLimits): PieceTable {
  const counter = contentTokenCounter(tokenizer);
  const table: PieceTable = { count: 0, start: [], end: [], boundaryBefore: [], tokensBefore: [0], cutsWithoutSpaceBefore: [0] };
  const add = (start: number, end: number, boundary: number, tokens: number): void => {
    const withoutSpace = table.count > 0 && table.end[table.count - 1] === start ? 1 : 0;
    table.cutsWithoutSpaceBefore.push(table.cutsWithoutSpaceBefore[table.count] + withoutSpace);
    table.start.push(start);
    table.end.push(end);
    table.boundaryBefore.push(table.count === 0 ? 0 : boundary);
    table.tokensBefore.push(table.tokensBefore[table.count] + tokens);
    table.count++;
  };
  // A part of n characters has at most n WordPiece tokens (each token covers a character or more;
  // [UNK] covers a whole word), so parts are sized by characters and no tokenizer call is spent on
  // finding cuts: WordPiece's cost grows with the square of a word's length up to 100 characters,
  // and searching with it made a 1 MB cell without spaces take 80 s to cut. Windows are still
  // measured with the real tokenizer.
  const partChars = Math.max(1, Math.min(Math.floor(limits.maxTokens / WORD_PARTS_PER_CHUNK), Math.floor(limits.maxChars / WORD_PARTS_PER_CHUNK)));
  const partFits = (from: number, to: number): boolean => to - from <= partChars;

  let previousEnd = -1;
  for (const word of text.matchAll(WORD)) {
    const wordStart = word.index!;
    let boundary = previousEnd < 0 ? 0 : gapBoundary(text, previousEnd, wordStart);
    for (const [start, end] of sentencesWithin(word[0], wordStart)) {
      const tokens = end - start <= limits.maxChars ? counter.count(text.slice(start, end)) : Infinity;
      if (tokens <= limits.maxTokens) {
        add(start, end, boundary, tokens);
      } else {
        let from = start;
        for (const cut of splitWord(text, start, end, partChars, partFits)) {
          add(from, cut, from === start ? boundary : Boundary.insideWord, counter.count(text.slice(from, cut)));
          from = cut;
        }
      }
      boundary = Boundary.sentence;
    }
    previousEnd = wordStart + word[0].length;
  }
  return table;
}

/** The strength of the whitespace gap text[from, to) between two pieces. */
function gapBoundary(text: string, from: number, to: number): number {
  // Scan the gap itself: searching the text for the next newline could run to its end every time.
  let newlines = 0;
  for (let i = from; i < to && newlines < 2; i++) if (text.charCodeAt(i) === 0x0a) newlines++;
  if (newlines >= 2) return Boundary.paragraph;
  if (SENTENCE_END.test(text.slice(Math.max(0, from - 8), from))) return Boundary.sentence;
  return newlines === 1 ? Boundary.lineBreak : Boundary.space;
}

/** [start, end) offsets of the parts of one word, cut after each CJK sentence end inside it. */
function sentencesWithin(word: string, offset: number): Array<[number, number]> {
  if (!HAS_CJK_SENTENCE_END.test(word)) return [[offset, offset + word.length]];
  const parts: Array<[number, number]> = [];
  let from = 0;
  for (const end of word.matchAll(CJK_SENTENCE_END)) {
    const cut = end.index! + end[0].length;
    if (cut < word.length) {
      parts.push([offset + from, offset + cut]);
      from = cut;
    }
  }
  parts.push([offset + from, offset + word.length]);
  return parts;
}
