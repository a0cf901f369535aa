// The search server's one queue of ONNX work: search queries and the inputs of embedding requests
// (/v1/embeddings, /embed), as token ids, batched continuously over the model's sessions
// (batching/run-slots.ts). A query and an embedding input of the same model file, pooling and
// prompt may share a run; different ones never do (the run key). Vectors come back pooled, not
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

export class QueryRuns {
  private readonly variants = new Map<string, RunVariant>();
  private readonly slots: RunSlots<number[]>;

  constructor(options: QueryRunsOptions) {
    this.slots = new RunSlots<number[]>(async (key, sequences) => {
      const variant = this.variants.get(key);
      if (!variant) throw new Error(`no run variant for key ${key}`);
      const started = performance.now();
      const { vectors } = await variant.embedder.embedTokenIds(sequences, { pooling: variant.pooling, normalize: false });
      options.observer?.embedded(sequences.length, (performance.now() - started) / 1000);
      return vectors;
    }, options);
  }

  /** Sequences waiting for a run, and runs in flight. */
  get load(): { waiting: number; running: number } {
    return this.slots.load;
  }

  /** The pooled (not normalised) vector of one token sequence (special tokens included, within the model's limit). */
  embed(variant: RunVariant, ids: number[]): Promise<Float32Array> {
    const key = `${variant.embedder.info.checksum}/${variant.pooling}/${JSON.stringify(variant.prompt)}`;
    this.variants.set(key, variant);
    return this.slots.submit(key, ids, { tokens: ids.length, budget: variant.embedder.maxBatchTokens });
  }
}
