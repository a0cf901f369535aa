// How documents are cut into chunks. Recorded in the collection spec and in every content hash,
// so changing them re-embeds.
import { EmbedlineError } from '../../errors.ts';
import { documentTokenizer, type ChunkTokenizer } from './chunk-tokenizer.ts';

export interface ChunkSettings {
  /** Content tokens per chunk, not counting the model's special tokens ([CLS], [SEP]). */
  chunkTokens: number;
  /** Tokens repeated from the end of one chunk at the start of the next. */
  overlap: number;
}

/**
 * Bump when the chunking algorithm changes how a document is cut: it is part of the content hash,
 * so documents chunked by an older version are re-chunked and re-embedded.
 */
export const CHUNKER_VERSION = 1;

export const DEFAULT_OVERLAP_TOKENS = 32;

/** Below this a chunk holds too little text to embed meaningfully, and a word split needs room. */
export const MIN_CHUNK_TOKENS = 16;

/**
 * A chunk's length cap in characters, per token of chunkTokens. Natural text averages 3–6
 * characters per token, so this only bites on text the tokenizer maps to a few [UNK] tokens
 * (BERT turns a 100+ character word into one [UNK]): it keeps such chunks, and the jobs carrying
 * them, small.
 */
export const MAX_CHARS_PER_TOKEN = 16;

/**
 * The settings for a model: chunkTokens defaults to (and may not exceed) the model's limit minus
 * its special tokens and the document prompt's tokens, so every chunk fits the model whole.
 */
export function resolveChunkSettings(
  model: { maxTokens: number; specialTokenCount: number; promptTokens?: number },
  requested: Partial<ChunkSettings> = {},
): ChunkSettings {
  const promptTokens = model.promptTokens ?? 0;
  const maxContent = model.maxTokens - model.specialTokenCount - promptTokens;
  const chunkTokens = requested.chunkTokens ?? maxContent;
  const overlap = requested.overlap ?? Math.min(DEFAULT_OVERLAP_TOKENS, Math.floor(chunkTokens / 2));
  if (!Number.isInteger(chunkTokens) || chunkTokens < MIN_CHUNK_TOKENS || chunkTokens > maxContent) {
    throw new EmbedlineError(
      'INPUT_INVALID',
      `--chunk-tokens (chunkTokens) must be a whole number from ${MIN_CHUNK_TOKENS} to ${maxContent} (the model's limit of ${model.maxTokens} minus ${model.specialTokenCount} special tokens${promptTokens > 0 ? ` and ${promptTokens} of the document prompt` : ''}), got ${chunkTokens}`,
    );
  }
  checkOverlap({ chunkTokens, overlap });
  return { chunkTokens, overlap };
}

/** resolveChunkSettings for a loaded model whose chunks are embedded after `documentPrompt`: the prompt's tokens leave the chunk less room. */
export function chunkSettingsForModel(
  model: { info: { maxTokens: number }; tokenizer: ChunkTokenizer },
  documentPrompt: string,
  requested: Partial<ChunkSettings> = {},
): ChunkSettings {
  const { specialTokenCount } = model.tokenizer;
  const promptTokens = documentTokenizer(model.tokenizer, documentPrompt).specialTokenCount - specialTokenCount;
  return resolveChunkSettings({ maxTokens: model.info.maxTokens, specialTokenCount, promptTokens }, requested);
}

/** Overlap beyond half a chunk would make most of each chunk a repeat of the one before. */
export function checkOverlap(settings: ChunkSettings): void {
  const { chunkTokens, overlap } = settings;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > Math.floor(chunkTokens / 2)) {
    throw new EmbedlineError('INPUT_INVALID', `--overlap (overlap) must be a whole number from 0 to half of --chunk-tokens (${Math.floor(chunkTokens / 2)}), got ${overlap}`);
  }
}

export function maxChunkChars(settings: ChunkSettings): number {
  return settings.chunkTokens * MAX_CHARS_PER_TOKEN;
}
