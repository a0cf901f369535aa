// Finds the embedder a collection was built with: the configured model folder holds model.onnx and
// often model_int8.onnx; the one whose sha256 the collection recorded is used, so a query is
// always embedded exactly as the collection's chunks were. The folder's fp32 model is also served
// on its own, by the folder's name, to the embedding endpoints (/v1/embeddings, /embed).
import { availableParallelism } from 'node:os';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import { loadEmbedder, type Embedder } from '../embed/embedder.ts';
import { reindexAdvice, shortChecksum } from '../contracts/model-mismatch.ts';
import { EmbedlineError } from '../errors.ts';

/**
 * ONNX threads per run in a search server. A query is a dozen tokens, too little to split across
 * threads; the cores do more as parallel runs and store searches (bench/search measured more
 * requests/s and a lower p99 with 1 than with 2 on two cores). `serve --threads` overrides.
 */
export const SERVER_QUERY_THREADS = 1;

export interface QueryInference {
  /** onnxruntime threads in all for query embedding (EMBEDLINE_THREADS); default: the machine's cores. */
  threads?: number;
  /** Threads of one ONNX run; default: all of `threads` in one run. Capped at `threads`. */
  threadsPerRun?: number;
  /** Batch budget per ONNX run (EMBEDLINE_MAX_BATCH_TOKENS); default: the embedder's. */
  maxBatchTokens?: number;
}

export class CollectionModels {
  private readonly loaded = new Map<string, Promise<Embedder>>();
  private folder?: Promise<Embedder>;
  /** onnxruntime intra-op threads per run. */
  private readonly threadsPerRun: number;
  /** ONNX runs that can go at once: the threads in all split into runs of threadsPerRun (more would only contend). */
  readonly parallelRuns: number;
  private readonly maxBatchTokens?: number;

  constructor(
    readonly modelDir: string,
    inference: QueryInference = {},
  ) {
    const total = inference.threads ?? availableParallelism();
    this.threadsPerRun = Math.min(inference.threadsPerRun ?? total, total);
    this.parallelRuns = Math.max(1, Math.floor(total / this.threadsPerRun));
    this.maxBatchTokens = inference.maxBatchTokens;
  }

  async forSpec(collection: string, spec: CollectionSpec): Promise<Embedder> {
    let embedder = this.loaded.get(spec.modelChecksum);
    if (!embedder) {
      embedder = this.find(collection, spec);
      this.loaded.set(spec.modelChecksum, embedder);
      embedder.catch(() => this.loaded.delete(spec.modelChecksum));
    }
    return embedder;
  }

  /** The folder's own fp32 model (model.onnx), with its default pooling and normalisation. */
  folderModel(): Promise<Embedder> {
    if (!this.folder) {
      this.folder = this.load(false);
      this.folder.catch(() => (this.folder = undefined));
    }
    return this.folder;
  }

  private load(quantized: boolean): Promise<Embedder> {
    return loadEmbedder(this.modelDir, {
      quantized,
      threads: this.threadsPerRun * this.parallelRuns,
      sessions: this.parallelRuns,
      maxBatchTokens: this.maxBatchTokens,
    });
  }

  private async find(collection: string, spec: CollectionSpec): Promise<Embedder> {
    const seen: string[] = [];
    for (const quantized of [false, true]) {
      let candidate: Embedder;
      try {
        // fp32 is the folder model the embedding endpoints serve: one copy in memory, not two.
        candidate = quantized ? await this.load(true) : await this.folderModel();
      } catch (err) {
        if (quantized) continue; // an fp32-only folder is normal
        throw err;
      }
      if (candidate.info.checksum === spec.modelChecksum) return candidate;
      seen.push(`${candidate.info.onnxPath} (${shortChecksum(candidate.info.checksum)})`);
    }
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${collection}" was built with model ${spec.model} (${shortChecksum(spec.modelChecksum)}), which is not in ${this.modelDir}: found ${seen.join(', ')}; point --model / EMBEDLINE_MODEL at that model's folder, or ${reindexAdvice(collection)}`,
    );
  }
}
