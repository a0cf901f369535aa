// What the `model` of an embedding request names: the model folder this server serves (by the
// folder's name, its fp32 model with the folder's default pooling), or a collection (the model file
// and pooling the collection recorded, so that a client embeds exactly as its chunks were).
import { basename } from 'node:path';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { CollectionCatalog } from '../search/collection-catalog.ts';
import type { CollectionModels } from '../search/collection-models.ts';

export interface EmbeddingTarget {
  embedder: Embedder;
  pooling: Pooling;
  normalize: boolean;
}

export class EmbeddingTargets {
  constructor(
    private readonly models: CollectionModels,
    private readonly catalog: CollectionCatalog,
  ) {}

  /** The name under which the model folder is served (`GET /v1/models`). */
  get folderName(): string {
    return basename(this.models.modelDir);
  }

  get modelDir(): string {
    return this.models.modelDir;
  }

  /** The served folder's model, for the TEI endpoints (which have no model parameter). */
  async folder(): Promise<EmbeddingTarget> {
    const embedder = await this.models.folderModel();
    return target(embedder, embedder.info.defaultPooling, embedder.info.normalize);
  }

  /**
   * The target a model name names: the served model by its short name or as configured (a Hub id
   * such as `sentence-transformers/all-MiniLM-L6-v2`, as OpenAI and TEI clients name it; collection
   * names never hold a `/`), else a collection; MODEL_NOT_FOUND when it is neither.
   */
  async resolve(name: string): Promise<EmbeddingTarget> {
    if (name === this.folderName || name === this.models.modelDir) return this.folder();
    const spec = await this.collectionSpec(name);
    return target(await this.models.forSpec(name, spec), spec.pooling, spec.normalize);
  }

  private async collectionSpec(name: string): Promise<CollectionSpec> {
    try {
      return (await this.catalog.describe(name)).spec;
    } catch (err) {
      if (!(isEmbedlineError(err) && err.code === 'COLLECTION_MISSING')) throw err;
      throw new EmbedlineError('MODEL_NOT_FOUND', `model "${name}" is neither the model this server serves (${this.folderName}) nor a collection`, {
        details: { model: name },
      });
    }
  }
}

function target(embedder: Embedder, pooling: Pooling, normalize: boolean): EmbeddingTarget {
  // Which requests may share ONNX runs is the run queue's business (query-runs.ts: model file, pooling, prompt).
  return { embedder, pooling, normalize };
}
