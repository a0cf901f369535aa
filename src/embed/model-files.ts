// Finds and reads the files of a model folder (ONNX graph, tokenizer, BERT and sentence-transformers
// configs). Every missing or malformed file is an error that names the file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbedlineError } from '../errors.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The model used when no folder is named (no --model, no EMBEDLINE_MODEL): the shared MiniLM folder. */
export const DEFAULT_MODEL_DIR = resolve(projectRoot, '..', 'shared', 'models', 'all-MiniLM-L6-v2');

/** The named model folder (the CLI passes --model, else EMBEDLINE_MODEL), else the default, as an absolute path. */
export function resolveModelDir(dir?: string): string {
  return resolve(dir ?? DEFAULT_MODEL_DIR);
}

export interface ModelFiles {
  dir: string;
  name: string;
  onnxPath: string;
  quantized: boolean;
  tokenizerJson: object;
  tokenizerConfig: object;
  config: BertConfig;
  sentenceBertConfig?: { max_seq_length?: number };
  poolingConfig?: Record<string, unknown>;
  modules?: Array<{ type?: string; path?: string }>;
}

export interface BertConfig {
  hidden_size?: number;
  max_position_embeddings?: number;
  [key: string]: unknown;
}

function readJson<T>(path: string, required: true): T;
function readJson<T>(path: string, required: false): T | undefined;
function readJson<T>(path: string, required: boolean): T | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new EmbedlineError('MODEL_FILE_MISSING', `model file missing: ${path}`, { details: { path } });
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new EmbedlineError('MODEL_INVALID', `model file is not valid JSON: ${path} (${(err as Error).message})`, {
      details: { path },
      cause: err,
    });
  }
}

export function readModelFiles(dirArg: string, options: { quantized?: boolean } = {}): ModelFiles {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EmbedlineError('MODEL_DIR_MISSING', `model folder not found: ${dir} (set --model or EMBEDLINE_MODEL)`, {
      details: { path: dir },
    });
  }
  const quantized = options.quantized ?? false;
  const onnxPath = join(dir, quantized ? 'model_int8.onnx' : 'model.onnx');
  if (!existsSync(onnxPath)) {
    throw new EmbedlineError('MODEL_FILE_MISSING', `model file missing: ${onnxPath}`, { details: { path: onnxPath } });
  }
  // tokenizer_config.json is optional for tokenizers.js; an empty object keeps its defaults.
  return {
    dir,
    name: basename(dir),
    onnxPath,
    quantized,
    tokenizerJson: readJson<object>(join(dir, 'tokenizer.json'), true),
    tokenizerConfig: readJson<object>(join(dir, 'tokenizer_config.json'), false) ?? {},
    config: readJson<BertConfig>(join(dir, 'config.json'), true),
    sentenceBertConfig: readJson(join(dir, 'sentence_bert_config.json'), false),
    poolingConfig: readJson(join(dir, '1_Pooling', 'config.json'), false),
    modules: readJson(join(dir, 'modules.json'), false),
  };
}
