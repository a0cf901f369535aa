// Finds the embedder a collection was built with: the configured model (a folder, or a Hub id
// resolved through src/hub) holds an fp32 graph and often an int8 one; the one whose sha256 the
// collection recorded is used, so a query is always embedded exactly as the collection's chunks
// were. When neither matches and the collection recorded its model's Hub id and commit, that exact
// model is found (local copy, cache, or fetched). The configured fp32 model is also served on its
// own, by its name, to the embedding endpoints (/v1/embeddings, /embed).
import { availableParallelism } from 'node:os';
import type { HubConfig } from '../config.ts';
import { modelSourceName, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Device } from '../embed/device.ts';
import { loadEmbedder, type Embedder, type LoadOptions } from '../embed/embedder.ts';
import { loadModel, loadRecordedModel } from '../hub/resolve-model.ts';
import { reindexAdvice, shortChecksum } from '../contracts/model-mismatch.ts';
import { EmbedlineError } from '../errors.ts';

export { SERVER_QUERY_THREADS } from './server-query-threads.ts';

export interface QueryInference {
  /** onnxruntime threads in all for query embedding (EMBEDLINE_THREADS); default: the machine's cores. */
  threads?: number;
  /** Threads of one ONNX run; default: all of `threads` in one run. Capped at `threads`. */
  threadsPerRun?: number;
  /** Batch budget per ONNX run (EMBEDLINE_MAX_BATCH_TOKENS); default: the embedder's. */
  maxBatchTokens?: number;
  /** Execution device (EMBEDLINE_DEVICE, --device); default cpu. */
  device?: Device;
}

export class CollectionModels {
  private readonly loaded = new Map<string, Promise<Embedder>>();
  private folder?: Promise<Embedder>;
  /** onnxruntime intra-op threads per run. */
  private readonly threadsPerRun: number;
  /** ONNX runs that can go at once: the threads in all split into runs of threadsPerRun (more would only contend). */
  readonly parallelRuns: number;
  private readonly maxBatchTokens?: number;
  private readonly device?: Device;

  /**
   * @param modelDir the configured model: a folder, or (with `hub`) a Hub id.
   * @param hub where Hub models come from (config.hub); without it only folders load, and a
   *   collection's recorded Hub model is not looked for.
   */
  constructor(
    readonly modelDir: string,
    inference: QueryInference = {},
    private readonly hub?: HubConfig,
  ) {
    const total = inference.threads ?? availableParallelism();
    this.threadsPerRun = Math.min(inference.threadsPerRun ?? total, total);
    this.parallelRuns = Math.max(1, Math.floor(total / this.threadsPerRun));
    this.maxBatchTokens = inference.maxBatchTokens;
    this.device = inference.device;
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

  /** Takes an embedder the caller already loaded as the configured model (the library's `search(…, { model: embedder })`). */
  adopt(embedder: Embedder): this {
    this.folder = Promise.resolve(embedder);
    return this;
  }

  /** The folder's own fp32 model (model.onnx), with its default pooling and normalisation. */
  folderModel(): Promise<Embedder> {
    if (!this.folder) {
      this.folder = this.load(false);
      this.folder.catch(() => (this.folder = undefined));
    }
    return this.folder;
  }

  private get loadOptions(): LoadOptions {
    // On a GPU one session takes every run (the embedder's default there): sessions side by side would only contend for it.
    const sessions = this.device === 'cuda' ? undefined : this.parallelRuns;
    return { threads: this.threadsPerRun * this.parallelRuns, sessions, maxBatchTokens: this.maxBatchTokens, device: this.device };
  }

  private load(quantized: boolean): Promise<Embedder> {
    const options = { ...this.loadOptions, quantized };
    return this.hub ? loadModel(this.modelDir, this.hub, options) : loadEmbedder(this.modelDir, options);
  }

  /** The model the collection recorded by Hub id (and commit), when it has one and hub settings are given. */
  private async recorded(spec: CollectionSpec): Promise<Embedder | undefined> {
    if (!spec.modelSource || !this.hub) return undefined;
    return loadRecordedModel(spec.modelSource, this.hub, this.loadOptions);
  }

  private async find(collection: string, spec: CollectionSpec): Promise<Embedder> {
    const seen: string[] = [];
    let unavailable: unknown;
    for (const quantized of [false, true]) {
      let candidate: Embedder;
      try {
        // fp32 is the folder model the embedding endpoints serve: one copy in memory, not two.
        candidate = quantized ? await this.load(true) : await this.folderModel();
      } catch (err) {
        // An fp32-only folder is normal; a configured model that cannot load may not be needed
        // when the collection's recorded one answers.
        if (!quantized) unavailable = err;
        continue;
      }
      if (candidate.info.checksum === spec.modelChecksum) return candidate;
      seen.push(`${candidate.info.onnxPath} (${shortChecksum(candidate.info.checksum)})`);
    }
    const recorded = await this.recorded(spec);
    if (!recorded && unavailable !== undefined) throw unavailable;
    if (recorded?.info.checksum === spec.modelChecksum) return recorded;
    if (recorded) seen.push(`${recorded.info.onnxPath} (${shortChecksum(recorded.info.checksum)})`);
    const named = spec.modelSource ? `${modelSourceName(spec.modelSource)} ${spec.modelSource.file}` : spec.model;
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${collection}" was built with model ${named} (${shortChecksum(spec.modelChecksum)}), which is not in ${this.modelDir}: found ${seen.join(', ')}; point --model / EMBEDLINE_MODEL at that model, or ${reindexAdvice(collection)}`,
    );
  }
}
