// What the chunker needs from a tokenizer (TextTokenizer has it), plus a cache for counting the
// same short words over and over: natural text repeats a few thousand words millions of times.
// A model's document prompt is part of what the model sees: documentTokenizer counts it with the
// special tokens, so a chunk plus its prompt always fits the model.
import type { TextTokenizer } from '../../embed/tokenizer.ts';

export type ChunkTokenizer = Pick<TextTokenizer, 'encode' | 'encodeContent' | 'specialTokenCount'>;

/**
 * The tokenizer as the chunker must see it when every chunk is embedded as `prompt + chunk`: whole
 * sequences (encode, which measures every window) include the prompt, and the prompt's tokens count
 * among the tokens around the content (specialTokenCount), so chunkTokens leaves room for them.
 */
export function documentTokenizer(tokenizer: ChunkTokenizer, prompt: string): ChunkTokenizer {
  if (prompt === '') return tokenizer;
  return {
    encode: (text) => tokenizer.encode(prompt + text),
    encodeContent: (text) => tokenizer.encodeContent(text),
    specialTokenCount: tokenizer.encode(prompt).length,
  };
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
