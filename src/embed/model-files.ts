// Finds and reads the files of a model folder (ONNX graph, tokenizer, BERT and sentence-transformers
// configs). Two layouts hold the graph: embedline's own (model.onnx, model_int8.onnx at the top)
// and the Hugging Face Hub's (onnx/model.onnx and int8 variants under onnx/). A folder that is a
// snapshot of the Hugging Face cache (models--org--name/snapshots/<commit>) is named by its
// repository. Every missing or malformed file is an error that names the file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { EmbedlineError } from '../errors.ts';

/** The fp32 graph's places, in the order they are looked for. */
export const FP32_GRAPHS = ['model.onnx', 'onnx/model.onnx'];

/**
 * The int8 graph's places, in the order they are looked for: embedline's own file, then the
 * Hub's names (transformers.js's model_quantized, then Optimum's per-instruction-set exports).
 */
export const INT8_GRAPHS = [
  'model_int8.onnx',
  'onnx/model_quantized.onnx',
  'onnx/model_int8.onnx',
  'onnx/model_qint8_avx512_vnni.onnx',
  'onnx/model_qint8_avx512.onnx',
  'onnx/model_quint8_avx2.onnx',
  'onnx/model_qint8_arm64.onnx',
];

/** The graphs for a choice of precision. */
export function graphCandidates(quantized: boolean): string[] {
  return quantized ? INT8_GRAPHS : FP32_GRAPHS;
}

/**
 * A developer's shortcut (benchmarks, test helpers): a folder made absolute; no folder, the
 * shared MiniLM copy beside the working folder. The CLI and the library resolve models by name
 * through src/hub instead.
 */
export function resolveModelDir(dir?: string): string {
  return resolve(dir ?? join('..', 'shared', 'models', 'all-MiniLM-L6-v2'));
}

/** Where a model folder came from, when the folder says so itself (a Hugging Face cache snapshot). */
export interface ModelSource {
  /** Hub repository id, `org/name`. */
  repo: string;
  /** The commit the snapshot holds. */
  revision?: string;
}

/** `…/models--org--name/snapshots/<commit>` is the cache's copy of org/name at that commit. */
export function cacheSnapshotSource(dir: string): ModelSource | undefined {
  const parts = resolve(dir).split(sep);
  const [repoFolder, snapshots, commit] = parts.slice(-3);
  if (snapshots !== 'snapshots' || !/^[0-9a-f]{40}$/.test(commit ?? '') || !repoFolder?.startsWith('models--')) return undefined;
  return { repo: repoFolder.slice('models--'.length).split('--').join('/'), revision: commit };
}

/** sentence-transformers' own settings file: the prompts (src/embed/prompts.ts). */
export const SENTENCE_TRANSFORMERS_CONFIG = 'config_sentence_transformers.json';

export interface ModelFiles {
  dir: string;
  name: string;
  /** Set when the folder is a Hugging Face cache snapshot. */
  source?: ModelSource;
  onnxPath: string;
  /** The graph's path inside the folder (`model.onnx`, `onnx/model.onnx`…). */
  onnxFile: string;
  quantized: boolean;
  tokenizerJson: object;
  tokenizerConfig: object;
  config: BertConfig;
  sentenceBertConfig?: { max_seq_length?: number };
  poolingConfig?: Record<string, unknown>;
  modules?: Array<{ type?: string; path?: string }>;
  /** config_sentence_transformers.json (its `prompts` and `default_prompt_name`), when there is one. */
  sentenceTransformersConfig?: unknown;
}

export interface BertConfig {
  hidden_size?: number;
  /** DistilBERT's name for hidden_size (its config.json has no hidden_size). */
  dim?: number;
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
  const candidates = graphCandidates(quantized);
  const onnxFile = candidates.find((file) => existsSync(join(dir, file)));
  if (onnxFile === undefined) {
    const path = join(dir, candidates[0]);
    throw new EmbedlineError('MODEL_FILE_MISSING', `model file missing: ${path} (nor ${candidates.slice(1).join(', ')})`, { details: { path } });
  }
  const source = cacheSnapshotSource(dir);
  // tokenizer_config.json is optional for tokenizers.js; an empty object keeps its defaults.
  return {
    dir,
    name: source ? basename(source.repo) : basename(dir),
    source,
    onnxPath: join(dir, onnxFile),
    onnxFile,
    quantized,
    tokenizerJson: readJson<object>(join(dir, 'tokenizer.json'), true),
    tokenizerConfig: readJson<object>(join(dir, 'tokenizer_config.json'), false) ?? {},
    config: readJson<BertConfig>(join(dir, 'config.json'), true),
    sentenceBertConfig: readJson(join(dir, 'sentence_bert_config.json'), false),
    poolingConfig: readJson(join(dir, '1_Pooling', 'config.json'), false),
    modules: readJson(join(dir, 'modules.json'), false),
    sentenceTransformersConfig: readJson(join(dir, SENTENCE_TRANSFORMERS_CONFIG), false),
  };
}
