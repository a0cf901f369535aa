// The embedder: texts in, one pooled vector per text out, in input order. Pure computation: no
// Redis, no HTTP, no environment (the caller passes threads, sessions and the batch budget). Texts
// are tokenized, sorted into token-budget batches, run on a pool of ONNX sessions (one per worker
// thread, shared by every embedder of the same model file and layout in the process, session.ts),
// pooled and (optionally) L2-normalised.
import { join } from 'node:path';
import { blankness } from '../contracts/blank-text.ts';
import { describeValue } from '../contracts/value-kind.ts';
import { EmbedlineError, EmptyTextError, TextTooLongError } from '../errors.ts';
import { planBatches } from './token-budget.ts';
import { requireDevice, type Device } from './device.ts';
import { readModelFiles, SENTENCE_TRANSFORMERS_CONFIG, type ModelSource } from './model-files.ts';
import { lengthLimitFromConfig, normalizeFromConfig, poolingFromConfig, sha256File, vectorSizeFromConfig, type ModelInfo } from './model-info.ts';
import { poolRow, type BatchOutput, type Pooling } from './pooling.ts';
import { promptsFromConfig, resolvePrompts } from './prompts.ts';
import { getSessionPool, type Int64Feed, type SessionPool } from './session.ts';
import { TextTokenizer } from './tokenizer.ts';
import { l2Normalize } from './vector-math.ts';

export interface LoadOptions {
  quantized?: boolean;
  /** onnxruntime threads in all; default: the machine's cores. */
  threads?: number;
  /** Sessions (worker threads) sharing the threads; default one per thread, at most MAX_DEFAULT_SESSIONS (session.ts). */
  sessions?: number;
  /** Upper bound on batch rows × padded length per ONNX run; default DEFAULT_MAX_BATCH_TOKENS (GPU_MAX_BATCH_TOKENS on cuda). */
  maxBatchTokens?: number;
  /** Execution device; default cpu. A device whose provider files are missing is refused before any session starts. */
  device?: Device;
  /** The Hub repository the folder is a copy of, when the caller found it by id (a cache snapshot says so itself). */
  source?: ModelSource;
}

export interface EmbedOptions {
  pooling?: Pooling;
  normalize?: boolean;
  /** Cut over-long texts to the model's limit instead of failing. */
  truncate?: boolean;
  /** Put before every text (a model's query or document prompt, src/embed/prompts.ts); its tokens count against the limit. */
  prompt?: string;
}

export interface EmbedResult {
  vectors: Float32Array[];
  /** Tokens per text, special tokens included, after truncation. */
  tokens: number[];
}

// bench/embed/last-sweep.md: with one single-threaded session per core, 512 tokens per run beat
// 2048 on sentences and on 250-token passages, fp32 and int8 (each run's activations stay in that
// core's cache); 8192 and more were slower still.
export const DEFAULT_MAX_BATCH_TOKENS = 512;
/**
 * On a GPU one session (the default there) takes large batches: kernel launches, not cache misses,
 * are the cost. A starting point from onnxruntime's CUDA guidance, not measured here (no GPU).
 */
export const GPU_MAX_BATCH_TOKENS = 16384;

const LAST_HIDDEN_STATE = 'last_hidden_state';
const POOLER_OUTPUT = 'pooler_output';

export class Embedder {
  readonly info: ModelInfo;
  readonly tokenizer: TextTokenizer;
  private readonly sessions: SessionPool;
  /** Upper bound on rows × padded length per ONNX run. */
  readonly maxBatchTokens: number;

  constructor(info: ModelInfo, tokenizer: TextTokenizer, sessions: SessionPool, maxBatchTokens: number) {
    this.info = info;
    this.tokenizer = tokenizer;
    this.sessions = sessions;
    this.maxBatchTokens = maxBatchTokens;
  }

  /** Runs this embedder does at once (its sessions): a caller feeding runs one by one keeps this many going. */
  get parallelRuns(): number {
    return this.sessions.size;
  }

  /** Token ids per text (special tokens and the prompt included), checked against the limit unless truncating. */
  tokenize(texts: readonly string[], truncate = false, prompt = ''): number[][] {
    // Plain-JavaScript callers get an EmbedlineError naming what is wrong, not a TypeError from inside.
    if (!Array.isArray(texts)) throw new EmbedlineError('INPUT_INVALID', `texts must be an array of strings, got ${describeValue(texts)}`);
    return texts.map((text: unknown, index) => {
      if (typeof text !== 'string') throw new EmbedlineError('INPUT_INVALID', `text ${index} must be a string, got ${describeValue(text)}`, { details: { index } });
      // Blank as ingest counts it: whitespace, NUL and other control characters are nothing to embed.
      if (blankness(text) !== undefined) throw new EmptyTextError(index);
      const ids = this.tokenizer.encode(prompt + text);
      if (ids.length <= this.info.maxTokens) return ids;
      if (!truncate) throw new TextTooLongError(index, ids.length, this.info.maxTokens);
      return this.tokenizer.truncate(ids, this.info.maxTokens);
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    // The pooling is checked before tokenizing: a wrong option is the first thing to hear about.
    this.requirePooling(options.pooling ?? this.info.defaultPooling);
    return this.embedTokenIds(this.tokenize(texts, options.truncate, options.prompt), options);
  }

  /**
   * embed() for texts already tokenized (special tokens included, within the limit): the HTTP
   * endpoints check and count tokens per request, then share ONNX runs across requests.
   */
  async embedTokenIds(encoded: readonly number[][], options: Pick<EmbedOptions, 'pooling' | 'normalize'> = {}): Promise<EmbedResult> {
    const pooling = options.pooling ?? this.info.defaultPooling;
    const normalize = options.normalize ?? this.info.normalize;
    this.requirePooling(pooling);
    const vectors = new Array<Float32Array>(encoded.length);
    // Every session takes the next batch as it frees up; results are pooled as they arrive.
    const batches = planBatches(encoded.map((ids) => ids.length), this.maxBatchTokens);
    await Promise.all(
      batches.map(async (batch) => {
        const output = await this.runBatch(batch.indices.map((i) => encoded[i]), batch.paddedLength, pooling);
        batch.indices.forEach((inputIndex, row) => {
          const vector = poolRow(pooling, output, row);
          vectors[inputIndex] = normalize ? l2Normalize(vector) : vector;
        });
      }),
    );
    return { vectors, tokens: encoded.map((ids) => ids.length) };
  }

  /**
   * The model's last hidden state for every token of every sequence, special tokens included and
   * padding left out (TEI's /embed_all): one vector per token, in the order of `encoded`.
   */
  async tokenStates(encoded: readonly number[][]): Promise<Float32Array[][]> {
    const states = new Array<Float32Array[]>(encoded.length);
    const batches = planBatches(encoded.map((ids) => ids.length), this.maxBatchTokens);
    await Promise.all(
      batches.map(async (batch) => {
        // Any pooling but pooler fetches last_hidden_state, which is what is wanted here.
        const { lastHiddenState, seqLen, hidden } = await this.runBatch(batch.indices.map((i) => encoded[i]), batch.paddedLength, 'mean');
        batch.indices.forEach((inputIndex, row) => {
          const rowStart = row * seqLen * hidden;
          states[inputIndex] = encoded[inputIndex].map((_, t) => lastHiddenState.slice(rowStart + t * hidden, rowStart + (t + 1) * hidden));
        });
      }),
    );
    return states;
  }

  /** Refuses, in one line, a pooling this model's graph cannot give (pooler without pooler_output). */
  requirePooling(pooling: Pooling): void {
    if (pooling === 'pooler' && !this.info.outputs.includes(POOLER_OUTPUT)) {
      throw new EmbedlineError('POOLING_UNSUPPORTED', `model ${this.info.name} has no ${POOLER_OUTPUT} output (its graph gives ${this.info.outputs.join(', ')}), so pooling "pooler" is not available: use cls, mean or max`);
    }
  }

  private async runBatch(rows: number[][], seqLen: number, pooling: Pooling): Promise<BatchOutput> {
    const batch = rows.length;
    const ids = new BigInt64Array(batch * seqLen).fill(BigInt(this.tokenizer.padId));
    const mask = new BigInt64Array(batch * seqLen);
    rows.forEach((row, r) => {
      for (let t = 0; t < row.length; t++) {
        ids[r * seqLen + t] = BigInt(row[t]);
        mask[r * seqLen + t] = 1n;
      }
    });
    const dims = [batch, seqLen];
    const feeds: Record<string, Int64Feed> = {
      input_ids: { type: 'int64', data: ids, dims },
      attention_mask: { type: 'int64', data: mask, dims },
    };
    if (this.info.inputs.includes('token_type_ids')) {
      feeds.token_type_ids = { type: 'int64', data: new BigInt64Array(batch * seqLen), dims };
    }
    // Fetch only the output the pooling reads: copying last_hidden_state out is not free.
    const fetch = pooling === 'pooler' ? POOLER_OUTPUT : LAST_HIDDEN_STATE;
    const data = await this.sessions.run(feeds, fetch);
    const hidden = this.info.dims;
    return pooling === 'pooler'
      ? { batch, seqLen, hidden, lastHiddenState: new Float32Array(0), pooledOutput: data, attentionMask: mask }
      : { batch, seqLen, hidden, lastHiddenState: data, attentionMask: mask };
  }
}

export async function loadEmbedder(modelDir: string, options: LoadOptions = {}): Promise<Embedder> {
  const files = readModelFiles(modelDir, { quantized: options.quantized });
  const tokenizer = new TextTokenizer(files.tokenizerJson, files.tokenizerConfig);
  const device = options.device ?? 'cpu';
  requireDevice(device);
  // One GPU is one device: sessions side by side would only contend for it.
  const sessionCount = options.sessions ?? (device === 'cuda' ? 1 : undefined);
  const [sessions, checksum] = await Promise.all([getSessionPool(files.onnxPath, { threads: options.threads, sessions: sessionCount, device }), sha256File(files.onnxPath)]);
  if (!sessions.outputNames.includes(LAST_HIDDEN_STATE)) {
    throw new EmbedlineError('MODEL_INVALID', `${files.onnxPath} has no ${LAST_HIDDEN_STATE} output (outputs: ${sessions.outputNames.join(', ')})`);
  }
  for (const required of ['input_ids', 'attention_mask']) {
    if (!sessions.inputNames.includes(required)) {
      throw new EmbedlineError('MODEL_INVALID', `${files.onnxPath} has no ${required} input (inputs: ${sessions.inputNames.join(', ')})`);
    }
  }
  const dims = vectorSizeFromConfig(files);
  const prompts = promptsFromConfig(files.sentenceTransformersConfig, join(files.dir, SENTENCE_TRANSFORMERS_CONFIG));
  const info: ModelInfo = {
    name: files.name,
    dir: files.dir,
    source: files.source ?? options.source,
    onnxPath: files.onnxPath,
    onnxFile: files.onnxFile,
    quantized: files.quantized,
    checksum,
    dims,
    maxTokens: lengthLimitFromConfig(files),
    defaultPooling: poolingFromConfig(files),
    normalize: normalizeFromConfig(files),
    inputs: [...sessions.inputNames],
    outputs: [...sessions.outputNames],
    prompts,
    defaultPrompts: resolvePrompts(prompts),
  };
  return new Embedder(info, tokenizer, sessions, options.maxBatchTokens ?? (device === 'cuda' ? GPU_MAX_BATCH_TOKENS : DEFAULT_MAX_BATCH_TOKENS));
}

