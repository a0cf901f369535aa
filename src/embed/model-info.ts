// What a loaded model is: its graph's inputs and outputs, vector size, length limit, and the pooling,
// normalisation and prompts its sentence-transformers config asks for (our defaults).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { EmbedlineError } from '../errors.ts';
import type { ModelFiles, ModelSource } from './model-files.ts';
import type { Pooling } from './pooling.ts';
import type { ModelPrompts, PromptPair } from './prompts.ts';

export interface ModelInfo {
  name: string;
  dir: string;
  /** The Hub repository (and commit, when known) the folder holds; unset for a plain folder. */
  source?: ModelSource;
  onnxPath: string;
  /** The graph's path inside the folder (`model.onnx`, `onnx/model.onnx`…). */
  onnxFile: string;
  quantized: boolean;
  /** sha256 of the ONNX file: collections record it so that vectors from another graph are refused. */
  checksum: string;
  dims: number;
  /** Tokens per text, special tokens included. */
  maxTokens: number;
  defaultPooling: Pooling;
  normalize: boolean;
  inputs: string[];
  outputs: string[];
  /** The prompts config_sentence_transformers.json declares (none: an empty set). */
  prompts: ModelPrompts;
  /** The query and document prompts those give ("" for none): what a collection records unless told otherwise. */
  defaultPrompts: PromptPair;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** sentence-transformers' 1_Pooling/config.json flags; absent config means plain BERT: CLS. */
export function poolingFromConfig(files: ModelFiles): Pooling {
  const config = files.poolingConfig;
  if (!config) return 'cls';
  const chosen: Pooling[] = [];
  if (config.pooling_mode_cls_token) chosen.push('cls');
  if (config.pooling_mode_mean_tokens) chosen.push('mean');
  if (config.pooling_mode_max_tokens) chosen.push('max');
  if (chosen.length !== 1) {
    throw new EmbedlineError(
      'MODEL_INVALID',
      `${files.dir}/1_Pooling/config.json asks for ${chosen.length === 0 ? 'no supported pooling' : `several poolings at once (${chosen.join('+')})`}; embedline supports exactly one of cls, mean, max`,
    );
  }
  return chosen[0];
}

export function normalizeFromConfig(files: ModelFiles): boolean {
  return (files.modules ?? []).some((m) => typeof m.type === 'string' && m.type.endsWith('.Normalize'));
}

/**
 * Model types whose position ids start after the padding id (RoBERTa's create_position_ids_from_input_ids):
 * of max_position_embeddings, pad_token_id + 1 are never used by a token, so XLM-RoBERTa's 514 are 512 tokens.
 */
export const PADDING_OFFSET_POSITION_TYPES: readonly string[] = ['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'mpnet', 'longformer', 'data2vec-text', 'roberta-prelayernorm'];

/** Tokenizers with no limit of their own say so with a huge model_max_length (transformers' VERY_LARGE_INTEGER). */
const NO_TOKENIZER_LIMIT = 1_000_000;

/** Tokens the graph's position embeddings can take: max_position_embeddings, less the padding offset where the family has one. */
export function usablePositions(config: ModelFiles['config']): number | undefined {
  const positions = config.max_position_embeddings;
  if (typeof positions !== 'number') return undefined;
  const type = typeof config.model_type === 'string' ? config.model_type : '';
  if (!PADDING_OFFSET_POSITION_TYPES.includes(type)) return positions;
  const padId = typeof config.pad_token_id === 'number' ? config.pad_token_id : 1;
  return positions - (padId + 1);
}

/**
 * Tokens per text, special tokens included: sentence_bert_config.json's max_seq_length, else (as
 * sentence-transformers does) the tokenizer's model_max_length; never more than the positions the
 * graph can take (usablePositions), so no sequence the chunker or a truncation makes is one the graph
 * cannot run. python/export/export_model.py's length_limit reads it the same way.
 */
export function lengthLimitFromConfig(files: Pick<ModelFiles, 'config' | 'sentenceBertConfig' | 'tokenizerConfig' | 'dir'>): number {
  const positions = usablePositions(files.config);
  const tokenizerLimit = (files.tokenizerConfig as { model_max_length?: unknown }).model_max_length;
  const fromTokenizer = typeof tokenizerLimit === 'number' && tokenizerLimit < NO_TOKENIZER_LIMIT ? tokenizerLimit : undefined;
  // max_seq_length, when set, is the model's choice: the tokenizer's limit only stands in for it.
  const chosen = files.sentenceBertConfig?.max_seq_length ?? fromTokenizer;
  const limit = Math.min(...[chosen, positions].filter((n): n is number => typeof n === 'number'));
  if (!Number.isFinite(limit) || limit < 3) {
    throw new EmbedlineError('MODEL_INVALID', `${files.dir}: no usable length limit (max_seq_length, model_max_length or max_position_embeddings)`);
  }
  return limit;
}

/** The vector size: hidden_size, or `dim` as DistilBERT's config.json calls it. */
export function vectorSizeFromConfig(files: ModelFiles): number {
  const size = files.config.hidden_size ?? files.config.dim;
  if (typeof size !== 'number') throw new EmbedlineError('MODEL_INVALID', `${files.dir}/config.json has no hidden_size (nor dim)`);
  return size;
}
