// What the chunker needs from a tokenizer (TextTokenizer has it), plus a cache for counting the
// same short words over and over: natural text repeats a few thousand words millions of times, so
// the cache lives as long as the tokenizer, across documents. A model's document prompt is part of
// what the model sees: documentTokenizer counts it with the special tokens, so a chunk plus its
// prompt always fits the model.
import type { TextTokenizer } from '../../embed/tokenizer.ts';
import { promptEndsApart } from '../../embed/whitespace-additivity.ts';

/** whitespaceAdditive is optional: a tokenizer without it is counted window by window. */
export type ChunkTokenizer = Pick<TextTokenizer, 'encode' | 'encodeContent' | 'specialTokenCount'> & Partial<Pick<TextTokenizer, 'whitespaceAdditive'>>;

/**
 * The tokenizer as the chunker must see it when every chunk is embedded as `prompt + chunk`: whole
 * sequences (encode, which measures every window) include the prompt, and the prompt's tokens count
 * among the tokens around the content (specialTokenCount), so chunkTokens leaves room for them.
 */
export function documentTokenizer(tokenizer: ChunkTokenizer, prompt: string): ChunkTokenizer {
  if (prompt === '') return tokenizer;
  const prompted: ChunkTokenizer = {
    encode: (text) => tokenizer.encode(prompt + text),
    encodeContent: (text) => tokenizer.encodeContent(text),
    specialTokenCount: tokenizer.encode(prompt).length,
    // prompt + text adds up as the text does only when the prompt's last word stays apart.
    whitespaceAdditive: tokenizer.whitespaceAdditive === true && promptEndsApart(prompt),
  };
  // Same content counts as the tokenizer's own: share its cache.
  counters.set(prompted, contentTokenCounter(tokenizer));
  return prompted;
}

/** Words longer than this are rarely repeated: caching them would only grow the map. */
const CACHED_MAX_CHARS = 40;
const CACHE_MAX_ENTRIES = 200_000;

export class ContentTokenCounter {
  private readonly tokenizer: ChunkTokenizer;
  private readonly cache = new Map<string, number>();

  constructor(tokenizer: ChunkTokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Tokens the text adds inside a window, without special tokens. */
  count(text: string): number {
    if (text.length > CACHED_MAX_CHARS) return this.tokenizer.encodeContent(text).length;
    let tokens = this.cache.get(text);
    if (tokens === undefined) {
      tokens = this.tokenizer.encodeContent(text).length;
      if (this.cache.size < CACHE_MAX_ENTRIES) this.cache.set(text, tokens);
    }
    return tokens;
  }
}

const counters = new WeakMap<ChunkTokenizer, ContentTokenCounter>();

/** The tokenizer's counter, made on first use and kept as long as the tokenizer lives. */
export function contentTokenCounter(tokenizer: ChunkTokenizer): ContentTokenCounter {
  let counter = counters.get(tokenizer);
  if (counter === undefined) {
    counter = new ContentTokenCounter(tokenizer);
    counters.set(tokenizer, counter);
  }
  return counter;
}
