// What a loaded model is: its graph's inputs and outputs, vector size, length limit, and the pooling
// and normalisation its sentence-transformers config asks for (our defaults).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { EmbedlineError } from '../errors.ts';
import type { ModelFiles, ModelSource } from './model-files.ts';
import type { Pooling } from './pooling.ts';

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

/** sentence_bert_config.json's max_seq_length, capped by the position embeddings the model has. */
export function lengthLimitFromConfig(files: ModelFiles): number {
  const positions = files.config.max_position_embeddings;
  const seq = files.sentenceBertConfig?.max_seq_length;
  const limit = seq ?? positions;
  if (typeof limit !== 'number' || limit < 3) {
    throw new EmbedlineError('MODEL_INVALID', `${files.dir}: no usable length limit (max_seq_length or max_position_embeddings)`);
  }
  return typeof positions === 'number' ? Math.min(limit, positions) : limit;
}

/** The vector size: hidden_size, or `dim` as DistilBERT's config.json calls it. */
export function vectorSizeFromConfig(files: ModelFiles): number {
  const size = files.config.hidden_size ?? files.config.dim;
  if (typeof size !== 'number') throw new EmbedlineError('MODEL_INVALID', `${files.dir}/config.json has no hidden_size (nor dim)`);
  return size;
}
