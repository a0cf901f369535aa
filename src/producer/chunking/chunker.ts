// Cuts a document into chunks that each fit the model whole (special tokens included), preferring
// paragraph, then sentence, then line and word boundaries, and cutting inside a word only when a
// word alone is too big. Every chunk's text is exactly doc.text.slice(start, end), and together the
// chunks cover every non-whitespace character of the document.
import type { Chunk, Metadata } from '../../contracts/chunk.ts';
import { EmbedlineError } from '../../errors.ts';
import { checkOverlap, MIN_CHUNK_TOKENS, type ChunkSettings } from './chunk-settings.ts';
import type { ChunkTokenizer } from './chunk-tokenizer.ts';
import { chunkSpans } from './chunk-spans.ts';
import { chunkSetHash, contentHash } from './content-hash.ts';

export interface ChunkableDocument {
  id: string;
  text: string;
  metadata: Metadata;
  /** contentHash(doc, settings), when already computed to check the store: saves hashing the text twice. */
  contentHash?: string;
}

/** The document's chunks, in order. A whitespace-only text has none. */
export function chunkDocument(doc: ChunkableDocument, tokenizer: ChunkTokenizer, settings: ChunkSettings): Chunk[] {
  if (!Number.isInteger(settings.chunkTokens) || settings.chunkTokens < MIN_CHUNK_TOKENS) {
    throw new EmbedlineError('INPUT_INVALID', `--chunk-tokens (chunkTokens) must be a whole number of at least ${MIN_CHUNK_TOKENS}, got ${settings.chunkTokens}`);
  }
  checkOverlap(settings);
  const metadata = { ...doc.metadata };
  const spans = chunkSpans(doc.text, tokenizer, settings);
  const hash = chunkSetHash(doc.contentHash ?? contentHash(doc, settings), spans.length);
  return spans.map((span, chunkIndex) => ({
    documentId: doc.id,
    chunkIndex,
    text: doc.text.slice(span.start, span.end),
    start: span.start,
    end: span.end,
    tokens: span.tokens,
    contentHash: hash,
    metadata,
  }));
}
