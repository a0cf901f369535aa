// How an embedline collection looks in Qdrant: one unnamed dense vector sized and compared as the
// spec says, the spec itself in the collection's `metadata` (so any process can check what a
// collection was built with), each metadata field's recorded type there too (one metadata key per
// field: Qdrant merges metadata keys, so workers recording different fields at once cannot undo
// each other), and payload indexes on the fields every delete and filter uses, each metadata field
// indexed with its recorded type (strict mode, Qdrant Cloud's default, refuses unindexed filters).
import type { Schemas } from '@qdrant/js-client-rest';
import type { CollectionSpec } from '../../contracts/collection-spec.ts';
import { isScoreFloor, type ScoreFloor } from '../../contracts/score-floor.ts';
import { EmbedlineError } from '../../errors.ts';
import { isFieldType, type FieldType, type FieldTypes } from '../field-types.ts';
import type { IndexingState } from '../vector-store.ts';
import { KEYWORDS_VECTOR, KEYWORDS_VECTOR_PARAMS } from './keyword-vector.ts';
import { VERSION_KEY } from './point-payload.ts';
import { payloadKey } from './qdrant-filter.ts';
import { placementFields, type PlacementSettings } from './collection-placement.ts';

/** Metadata key of the recorded CollectionSpec. */
export const SPEC_KEY = 'embedline_spec';
/** Metadata key present only during a bulk load: the indexing threshold to restore afterwards. */
export const BULK_LOAD_KEY = 'embedline_bulk_load';
/** Metadata key prefix of a field's recorded type: `embedline_field:year` → "integer". */
const FIELD_KEY_PREFIX = 'embedline_field:';

type QdrantDistance = 'Cosine' | 'Dot';

export interface PayloadIndex {
  field_name: string;
  field_schema: FieldType;
}

/** Normalised vectors compare by cosine, raw ones by dot product: the spec already says which. */
export function qdrantDistance(spec: CollectionSpec): QdrantDistance {
  return spec.distance === 'cosine' ? 'Cosine' : 'Dot';
}

/** The unnamed dense vector, and the sparse keyword vector with Qdrant's idf modifier (keyword-vector.ts). */
export function createCollectionBody(spec: CollectionSpec, placement: PlacementSettings = {}): Schemas['CreateCollection'] {
  return {
    vectors: { size: spec.dims, distance: qdrantDistance(spec) },
    ...placementFields(placement),
    sparse_vectors: { [KEYWORDS_VECTOR]: KEYWORDS_VECTOR_PARAMS },
    metadata: { [SPEC_KEY]: { ...spec } },
  };
}

/** Whether the collection has the keyword vector (collections from before keyword search have not). */
export function hasKeywordVector(info: Schemas['CollectionInfo']): boolean {
  return info.config.params.sparse_vectors?.[KEYWORDS_VECTOR] !== undefined;
}

/**
 * documentId (keyword) serves deletes, hash look-ups and filters; chunkIndex (integer) serves
 * "from chunk N on" deletes and the chunk-0 listings; the write version (integer) serves conditional
 * writes and deletes and the newest-version look-up (order_by), the content hash (keyword) a run's
 * claim on unchanged documents; each metadata field gets an index of its
 * recorded type, made before the first point carrying it is written, so a bulk load is never
 * indexed twice and no filter on it ever scans.
 */
export function payloadIndexes(fields: FieldTypes): PayloadIndex[] {
  return [
    { field_name: 'documentId', field_schema: 'keyword' },
    { field_name: 'chunkIndex', field_schema: 'integer' },
    { field_name: VERSION_KEY, field_schema: 'integer' },
    { field_name: 'contentHash', field_schema: 'keyword' },
    ...Object.entries(fields).map(([field, type]) => ({ field_name: payloadKey(field), field_schema: type })),
  ];
}

/** The indexes the collection lacks, or has with another type (a field widened to float). */
export function missingIndexes(info: Schemas['CollectionInfo'], wanted: readonly PayloadIndex[]): PayloadIndex[] {
  return wanted.filter((index) => info.payload_schema[index.field_name]?.data_type !== index.field_schema);
}

/** The metadata fields and types recorded with the collection. */
export function recordedFieldTypes(info: Schemas['CollectionInfo']): FieldTypes {
  const types: FieldTypes = {};
  for (const [key, value] of Object.entries(info.config.metadata ?? {})) {
    if (key.startsWith(FIELD_KEY_PREFIX) && isFieldType(value)) types[key.slice(FIELD_KEY_PREFIX.length)] = value;
  }
  return types;
}

/** The collection-metadata update that records these field types. */
export function fieldTypesMetadata(types: FieldTypes): Record<string, FieldType> {
  return Object.fromEntries(Object.entries(types).map(([field, type]) => [`${FIELD_KEY_PREFIX}${field}`, type]));
}

/**
 * The spec recorded with a collection, or undefined when it carries none (not an embedline
 * collection). A recorded spec that contradicts the collection's actual vectors is refused.
 */
export function recordedSpec(info: Schemas['CollectionInfo'], name: string): CollectionSpec | undefined {
  const spec = info.config.metadata?.[SPEC_KEY];
  if (!isSpec(spec)) return undefined;
  const vectors = info.config.params.vectors as { size?: unknown; distance?: unknown } | undefined;
  if (vectors?.size !== spec.dims || vectors?.distance !== qdrantDistance(spec)) {
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${name}" holds vectors ${JSON.stringify(vectors)}, but its recorded spec says ${spec.dims} dimensions by ${qdrantDistance(spec)}`,
      { details: { collection: name } },
    );
  }
  // Only the known fields: a newer embedline may record more, which this one does not compare.
  const { model, modelChecksum, modelSource, dims, pooling, normalize, distance, chunkTokens, overlap } = spec;
  return { model, modelChecksum, ...(modelSource ? { modelSource } : {}), dims, pooling, normalize, distance, chunkTokens, overlap };
}

/** Metadata key of the recorded "no close match" floor. */
export const SCORE_FLOOR_KEY = 'embedline_score_floor';

/** The floor recorded with the collection, if any. */
export function recordedScoreFloor(info: Schemas['CollectionInfo']): ScoreFloor | undefined {
  const floor = info.config.metadata?.[SCORE_FLOOR_KEY];
  return isScoreFloor(floor) ? floor : undefined;
}

/** The indexing threshold saved by beginBulkLoad (null: Qdrant's default was in effect). */
export function savedIndexingThreshold(info: Schemas['CollectionInfo']): number | null | undefined {
  const saved = info.config.metadata?.[BULK_LOAD_KEY] as { indexing_threshold?: unknown } | null | undefined;
  if (saved === undefined || saved === null) return undefined;
  return typeof saved.indexing_threshold === 'number' ? saved.indexing_threshold : null;
}

function isSpec(value: unknown): value is CollectionSpec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.model === 'string' &&
    typeof v.modelChecksum === 'string' &&
    typeof v.dims === 'number' &&
    typeof v.pooling === 'string' &&
    typeof v.normalize === 'boolean' &&
    (v.distance === 'cosine' || v.distance === 'dot') &&
    typeof v.chunkTokens === 'number' &&
    typeof v.overlap === 'number'
  );
}

/** The collection's indexing progress as Qdrant reports it (status, optimizer status, threshold). */
export function indexingState(info: Schemas['CollectionInfo']): IndexingState {
  const indexedVectors = info.indexed_vectors_count ?? 0;
  const optimizer = info.optimizer_status;
  if (typeof optimizer === 'object' && optimizer !== null) return { state: 'failed', indexedVectors, detail: optimizer.error };
  if (info.config.optimizer_config.indexing_threshold === 0) return { state: 'deferred', indexedVectors, detail: 'a bulk load has indexing off' };
  switch (info.status) {
    case 'green':
      return { state: 'ready', indexedVectors };
    case 'yellow':
      return { state: 'optimizing', indexedVectors };
    case 'grey':
      return { state: 'pending', indexedVectors, detail: 'optimizations are due but not triggered yet' };
    case 'red':
      return { state: 'failed', indexedVectors, detail: 'an operation failed and was not recovered' };
  }
}
