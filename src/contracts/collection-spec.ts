// What a collection was built with. Recorded when it is created and checked on every write and
// query: vectors from another model, pooling, normalisation or prompt are not comparable. Prompts
// are recorded only when set, so a collection of a model without prompts (every collection made
// before prompts existed) has the spec it always had, and a missing prompt reads as none.
import type { ModelInfo } from '../embed/model-info.ts';
import type { Pooling } from '../embed/pooling.ts';
import type { PromptPair } from '../embed/prompts.ts';
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
  /** Put before every query (the model's query prompt, or --query-prompt); unset: none. */
  queryPrompt?: string;
  /** Put before every chunk (the model's document prompt, or --document-prompt); unset: none. */
  documentPrompt?: string;
}

/** Fields that must agree for two specs to share a collection. */
const COMPARED: Array<keyof CollectionSpec> = ['model', 'modelChecksum', 'dims', 'pooling', 'normalize', 'distance', 'chunkTokens', 'overlap', 'queryPrompt', 'documentPrompt'];

/** A field as compared: an unset prompt is the empty one. */
function compared(spec: CollectionSpec, key: keyof CollectionSpec): unknown {
  return key === 'queryPrompt' || key === 'documentPrompt' ? (spec[key] ?? '') : spec[key];
}

/** Human-readable differences between a collection's recorded spec and the one asked for. */
export function specDifferences(recorded: CollectionSpec, requested: CollectionSpec): string[] {
  return COMPARED.filter((key) => compared(recorded, key) !== compared(requested, key)).map(
    (key) => `${key}: collection has ${JSON.stringify(compared(recorded, key))}, requested ${JSON.stringify(compared(requested, key))}`,
  );
}

/** The prompts a collection's texts are embedded with ("" for none). */
export function specPrompts(spec: Pick<CollectionSpec, 'queryPrompt' | 'documentPrompt'>): PromptPair {
  return { query: spec.queryPrompt ?? '', document: spec.documentPrompt ?? '' };
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
  info: Pick<ModelInfo, 'name' | 'checksum' | 'dims' | 'defaultPooling' | 'normalize'> & Partial<Pick<ModelInfo, 'source' | 'onnxFile' | 'defaultPrompts'>>,
  choices: { pooling?: Pooling; normalize?: boolean; chunkTokens: number; overlap: number; prompts?: Partial<PromptPair> },
): CollectionSpec {
  const normalize = choices.normalize ?? info.normalize;
  const query = choices.prompts?.query ?? info.defaultPrompts?.query ?? '';
  const document = choices.prompts?.document ?? info.defaultPrompts?.document ?? '';
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
    ...(query ? { queryPrompt: query } : {}),
    ...(document ? { documentPrompt: document } : {}),
  };
}
