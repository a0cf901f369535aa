// The search server's one queue of ONNX work: search queries and the inputs of embedding requests
// (/v1/embeddings, /embed), as token ids, batched continuously over the model's sessions
// (batching/run-slots.ts, which this is). A query and an embedding input of the same model file,
// pooling and prompt may share a run; different ones never do (the run key). A caller takes the key
// of its variant once (key()), then submits each sequence under it. Vectors come back pooled, not
// normalised: each caller normalises as its request asks. One per server (build-search-server.ts),
// so searches and embedding requests share the run slots instead of each holding their own.
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { RunSlots, type RunSlotsOptions } from '../batching/run-slots.ts';

/** What must be equal for two sequences to share an ONNX run. */
export interface RunVariant {
  embedder: Embedder;
  pooling: Pooling;
  /** The prompt the sequence's tokens begin with ("" for none). */
  prompt: string;
}

/** parallelRuns: the model's sessions (CollectionModels.parallelRuns); batching false: a run per sequence. */
export interface QueryRunsOptions extends RunSlotsOptions {
  /** Told of every run (SearchObserver.embedded: the metrics' queries per run and run time). */
  observer?: { embedded(queries: number, seconds: number): void };
}

/**
 * `submit(key(variant), ids, { tokens: ids.length, budget: embedder.maxBatchTokens })` gives the
 * pooled (not normalised) vector of one token sequence (special tokens included, within the
 * model's limit).
 */
export class QueryRuns extends RunSlots<number[]> {
  private readonly variants: Map<string, RunVariant>;

  constructor(options: QueryRunsOptions) {
    const variants = new Map<string, RunVariant>();
    super(async (key, sequences) => {
      const variant = variants.get(key);
      if (!variant) throw new Error(`no run variant for key ${key}`);
      const started = performance.now();
      const { vectors } = await variant.embedder.embedTokenIds(sequences, { pooling: variant.pooling, normalize: false });
      options.observer?.embedded(sequences.length, (performance.now() - started) / 1000);
      return vectors;
    }, options);
    this.variants = variants;
  }

  /** The run key of a variant's sequences, kept so that a run of that key finds its embedder. */
  key(variant: RunVariant): string {
    const key = `${variant.embedder.info.checksum}/${variant.pooling}/${JSON.stringify(variant.prompt)}`;
    this.variants.set(key, variant);
    return key;
  }
}
