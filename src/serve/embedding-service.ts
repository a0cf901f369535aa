// Embeddings for the drop-in endpoints (/v1/embeddings, /embed): checks and tokenizes each
// request's inputs (so an over-long or empty input fails its own request, with its index), then
// embeds the token sequences through the server's one run queue (query-runs.ts, continuous batching
// shared with search queries), so concurrent requests and searches share ONNX runs. Vectors are
// pooled raw and normalised per request, which lets requests that differ only in `normalize` share
// runs too. A request is admitted by the
// server's admission queue, the one searches go through, so an embedding burst cannot pile up work
// past the bound that protects search (OVERLOADED instead), and a request holding more tokens than
// EMBEDLINE_MAX_REQUEST_TOKENS is refused before any inference: one client cannot hold the ONNX
// sessions for a minute. A request may name one of the model's prompts (`prompt_name`, as TEI
// takes it; config_sentence_transformers.json): it is put before every text input's tokens (or
// token-id input's ids); without one the model's default prompt applies, as TEI and
// sentence-transformers do. Sequences with different prompts never share a run (query-runs.ts keys).
import { MAX_RUN_ITEMS } from '../batching/run-slots.ts';
import { defaultPrompt, promptByName } from '../embed/prompts.ts';
import type { TextTokenizer } from '../embed/tokenizer.ts';
import { l2Normalize } from '../embed/vector-math.ts';
import { EmbedlineError, EmptyTextError, TextTooLongError } from '../errors.ts';
import type { AdmissionQueue } from '../search/admission-queue.ts';
import type { EmbeddingTarget } from './embedding-targets.ts';
import type { QueryRuns } from '../search/query-runs.ts';

/** Texts, or token-id sequences from the model's own tokenizer without special tokens. */
export type EmbeddingInputs = string[] | number[][];

export interface EmbeddingOptions {
  /** Cut over-long inputs to the model's limit instead of failing the request. */
  truncate: boolean;
  /** Default: what the target records (the folder's Normalize module, or the collection's spec). */
  normalize?: boolean;
  /** Aborted when nobody will read the answer (timed out, client gone): the rest is not embedded. */
  signal?: AbortSignal;
  /** A prompt of the model by name (TEI's prompt_name); unknown: BAD_REQUEST naming it. Unset: the model's default prompt, if any. */
  promptName?: string;
}

export interface Embeddings {
  vectors: Float32Array[];
  /** Tokens embedded, special tokens included, after truncation. */
  tokens: number;
}

export interface TokenEmbeddings {
  /** Per input, one vector per token (special tokens included). */
  states: Float32Array[][];
  tokens: number;
}

export class EmbeddingService {
  private readonly runs: QueryRuns;
  private readonly admission: AdmissionQueue;

  private readonly maxRequestTokens: number;
  /** One full batch per run slot. */
  private readonly sequencesInFlight: number;

  constructor(options: {
    /** The server's run queue (SearchService.runs). */
    runs: QueryRuns;
    /** Its parallel runs: a request keeps one full batch per run in flight. */
    parallelRuns: number;
    admission: AdmissionQueue;
    /** Tokens one request may hold in all (EMBEDLINE_MAX_REQUEST_TOKENS). */
    maxRequestTokens: number;
  }) {
    this.runs = options.runs;
    this.admission = options.admission;
    this.maxRequestTokens = options.maxRequestTokens;
    this.sequencesInFlight = MAX_RUN_ITEMS * Math.max(1, options.parallelRuns);
  }

  embed(target: EmbeddingTarget, inputs: EmbeddingInputs, options: EmbeddingOptions): Promise<Embeddings> {
    return this.admission.run(() => this.admitted(target, inputs, options));
  }

  /**
   * Every token's vector, unpooled (TEI's /embed_all): admitted and bounded like embed(), then run
   * on its own: there is no pooled vector to share a run with other requests.
   */
  embedAll(target: EmbeddingTarget, inputs: string[], options: Pick<EmbeddingOptions, 'truncate' | 'signal' | 'promptName'>): Promise<TokenEmbeddings> {
    return this.admission.run(async () => {
      options.signal?.throwIfAborted();
      const { sequences, tokens } = this.checkedSequences(target, inputs, options.truncate, requestPrompt(target, options.promptName));
      return { states: await target.embedder.tokenStates(sequences), tokens };
    });
  }

  /** The inputs' token sequences, refused when they hold more than EMBEDLINE_MAX_REQUEST_TOKENS in all. */
  private checkedSequences(target: EmbeddingTarget, inputs: EmbeddingInputs, truncate: boolean, prompt: string): { sequences: number[][]; tokens: number } {
    const sequences = tokenSequences(target, inputs, truncate, prompt);
    const tokens = sequences.reduce((n, ids) => n + ids.length, 0);
    if (tokens > this.maxRequestTokens) {
      throw new EmbedlineError(
        'BAD_REQUEST',
        `the inputs hold ${tokens} tokens, over the limit of ${this.maxRequestTokens} per request (EMBEDLINE_MAX_REQUEST_TOKENS); send them in several requests`,
        { details: { tokens, limit: this.maxRequestTokens } },
      );
    }
    return { sequences, tokens };
  }

  private async admitted(target: EmbeddingTarget, inputs: EmbeddingInputs, options: EmbeddingOptions): Promise<Embeddings> {
    // Given up on while it waited for admission: nothing to do.
    options.signal?.throwIfAborted();
    const prompt = requestPrompt(target, options.promptName);
    const { sequences, tokens } = this.checkedSequences(target, inputs, options.truncate, prompt);
    const key = this.runs.key({ embedder: target.embedder, pooling: target.pooling, prompt });
    const budget = target.embedder.maxBatchTokens;
    const vectors = await embedEach((ids) => this.runs.submit(key, ids, { tokens: ids.length, budget }), sequences, this.sequencesInFlight, options.signal);
    if (options.normalize ?? target.normalize) vectors.forEach(l2Normalize);
    return { vectors, tokens };
  }
}

/**
 * Keeps at most `inFlight` of one request's sequences in the run slots at once (enough to
 * fill a batch in every slot), so a request that is abandoned stops within a batch or two instead
 * of holding the sessions until its last sequence is embedded.
 */
async function embedEach(submit: (ids: number[]) => Promise<Float32Array>, sequences: number[][], inFlight: number, signal?: AbortSignal): Promise<Float32Array[]> {
  const vectors = new Array<Float32Array>(sequences.length);
  let next = 0;
  const lane = async () => {
    while (next < sequences.length) {
      signal?.throwIfAborted();
      const i = next++;
      vectors[i] = await submit(sequences[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, sequences.length) }, lane));
  return vectors;
}

/** The prompt a request's inputs get: the one it names, else the model's default (none unless the model names one). */
function requestPrompt(target: EmbeddingTarget, promptName: string | undefined): string {
  const { prompts, name } = target.embedder.info;
  return promptName === undefined ? defaultPrompt(prompts) : promptByName(prompts, promptName, name);
}

function tokenSequences(target: EmbeddingTarget, inputs: EmbeddingInputs, truncate: boolean, prompt: string): number[][] {
  const { embedder } = target;
  if (inputs.every((input): input is string => typeof input === 'string')) return embedder.tokenize(inputs, truncate, prompt);
  const promptIds = prompt === '' ? [] : embedder.tokenizer.encodeContent(prompt);
  return (inputs as number[][]).map((content, index) => {
    if (content.length === 0) throw new EmptyTextError(index);
    checkTokenIds(embedder.tokenizer, content, index, embedder.info.name);
    const ids = embedder.tokenizer.withSpecialTokens([...promptIds, ...content]);
    if (ids.length <= embedder.info.maxTokens) return ids;
    if (!truncate) throw new TextTooLongError(index, ids.length, embedder.info.maxTokens);
    return embedder.tokenizer.truncate(ids, embedder.info.maxTokens);
  });
}

function checkTokenIds(tokenizer: TextTokenizer, ids: readonly number[], index: number, model: string): void {
  const unknown = ids.find((id) => !tokenizer.knowsId(id));
  if (unknown !== undefined) {
    throw new EmbedlineError('BAD_REQUEST', `input ${index} holds ${unknown}, which is not a token id of model ${model}`, { details: { index } });
  }
}
