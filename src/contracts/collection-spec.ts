// What a collection was built with. Recorded when it is created and checked on every write and
// query: vectors from another model, pooling or normalisation are not comparable.
import type { ModelInfo } from '../embed/model-info.ts';
import type { Pooling } from '../embed/pooling.ts';
import { reindexAdvice } from './model-mismatch.ts';

export type Distance = 'cosine' | 'dot';

/** The Hub copy of a collection's model: a host without the folder fetches exactly this. */
export interface ModelSourceSpec {
  /** Hub repository id, `org/name`. */
  repo: string;
  /** The commit the model came from; unset when it came from a local copy of unknown commit. */
  revision?: string;
  /** The ONNX graph's path in the repository (`onnx/model.onnx`, `model_int8.onnx`…). */
  file: string;
}

export interface CollectionSpec {
  model: string;
  /** sha256 of the ONNX file the vectors came from. */
  modelChecksum: string;
  /**
   * Where that model can be fetched, when it was named by Hub id. Provenance, not compared: the
   * checksum decides whether two models are the same. Collections from before have none.
   */
  modelSource?: ModelSourceSpec;
  dims: number;
  pooling: Pooling;
  normalize: boolean;
  distance: Distance;
  chunkTokens: number;
  overlap: number;
}

/** Fields that must agree for two specs to share a collection. */
const COMPARED: Array<keyof CollectionSpec> = ['model', 'modelChecksum', 'dims', 'pooling', 'normalize', 'distance', 'chunkTokens', 'overlap'];

/** Human-readable differences between a collection's recorded spec and the one asked for. */
export function specDifferences(recorded: CollectionSpec, requested: CollectionSpec): string[] {
  return COMPARED.filter((key) => recorded[key] !== requested[key]).map(
    (key) => `${key}: collection has ${JSON.stringify(recorded[key])}, requested ${JSON.stringify(requested[key])}`,
  );
}

/**
 * One line for a refused spec: every difference (a changed model file shows both checksums), and
 * when the vectors cannot be compared at all, how to re-embed.
 */
export function specMismatchMessage(collection: string, recorded: CollectionSpec, requested: CollectionSpec): string {
  const modelChanged = recorded.modelChecksum !== requested.modelChecksum || recorded.model !== requested.model;
  const advice = modelChanged ? `; ${reindexAdvice(collection)}` : '';
  return `collection "${collection}" was built differently: ${specDifferences(recorded, requested).join('; ')}${advice}`;
}

/** Normalised vectors compare by cosine; raw ones by dot product (what the model was trained for). */
export function distanceFor(normalize: boolean): Distance {
  return normalize ? 'cosine' : 'dot';
}

/** `org/name@commit`: how a command names the collection's model to fetch it (the revision is left out when unknown). */
export function modelSourceName(source: ModelSourceSpec): string {
  return source.revision ? `${source.repo}@${source.revision}` : source.repo;
}

/** The spec of vectors made by this model with these choices; the model's own defaults fill gaps. */
export function specForModel(
  info: Pick<ModelInfo, 'name' | 'checksum' | 'dims' | 'defaultPooling' | 'normalize'> & Partial<Pick<ModelInfo, 'source' | 'onnxFile'>>,
  choices: { pooling?: Pooling; normalize?: boolean; chunkTokens: number; overlap: number },
): CollectionSpec {
  const normalize = choices.normalize ?? info.normalize;
  return {
    model: info.name,
    modelChecksum: info.checksum,
    ...(info.source && info.onnxFile ? { modelSource: { ...info.source, file: info.onnxFile } } : {}),
    dims: info.dims,
    pooling: choices.pooling ?? info.defaultPooling,
    normalize,
    distance: distanceFor(normalize),
    chunkTokens: choices.chunkTokens,
    overlap: choices.overlap,
  };
}
