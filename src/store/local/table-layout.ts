// The Lance table behind one collection: its fixed columns and the collection spec it carries.
//
// The spec lives in the Arrow schema metadata rather than in a file beside the table: it is written
// in the same commit that creates the table, so no process can ever see a table without its spec
// (or a spec without its table), dropping the table drops the spec, and copying the table folder
// carries it along. Lance keeps schema metadata through add, mergeInsert, addColumns and optimize
// (checked against 0.37.1 by the local store tests). Likewise each metadata field's recorded type
// lives in the field metadata of its filter column (see metadata-columns.ts, field-types.ts).
import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';
import type { FieldMetadataUpdate } from '@lancedb/lancedb';
import type { CollectionSpec } from '../../contracts/collection-spec.ts';
import { isScoreFloor, type ScoreFloor } from '../../contracts/score-floor.ts';
import { isFieldType, type FieldTypes } from '../field-types.ts';
import { metadataColumn } from './metadata-columns.ts';

/** Column names; snake_case so they need no quoting in SQL (they are quoted anyway). */
export const COLUMNS = {
  id: 'id',
  vector: 'vector',
  documentId: 'document_id',
  chunkIndex: 'chunk_index',
  text: 'text',
  start: 'char_start',
  end: 'char_end',
  tokens: 'tokens',
  contentHash: 'content_hash',
  metadata: 'metadata',
} as const;

/** Everything but the vector: what chunk listings and search hits read back. */
export const PAYLOAD_COLUMNS: string[] = Object.values(COLUMNS).filter((c) => c !== COLUMNS.vector);

/**
 * Each point's write version (store/write-version.ts). Not among COLUMNS: tables made before
 * versions lack it until their next write adds it (null there, read as version 0), so reads ask
 * for it only where the table has it.
 */
export const VERSION_COLUMN = 'write_version';
/**
 * Each chunk's keyword terms (store/keyword-terms.ts), space-joined, under a full-text index that
 * only splits on spaces (keyword-index.ts). Not among COLUMNS: tables made before keyword search
 * lack it, and answer keyword and hybrid searches with a line saying to run reindex.
 */
export const KEYWORDS_COLUMN = 'keywords';

/** The column as a write adds it to a table made before versions. */
export const VERSION_COLUMN_SQL = 'CAST(NULL AS INT)';

const SPEC_KEY = 'embedline.collection_spec';

export function tableSchema(spec: CollectionSpec): Schema {
  const int = (name: string) => new Field(name, new Int32(), false);
  const str = (name: string) => new Field(name, new Utf8(), false);
  return new Schema(
    [
      str(COLUMNS.id),
      new Field(COLUMNS.vector, new FixedSizeList(spec.dims, new Field('item', new Float32(), true)), false),
      str(COLUMNS.documentId),
      int(COLUMNS.chunkIndex),
      str(COLUMNS.text),
      int(COLUMNS.start),
      int(COLUMNS.end),
      int(COLUMNS.tokens),
      str(COLUMNS.contentHash),
      str(COLUMNS.metadata),
      new Field(VERSION_COLUMN, new Int32(), true),
      new Field(KEYWORDS_COLUMN, new Utf8(), true),
    ],
    new Map([[SPEC_KEY, JSON.stringify(spec)]]),
  );
}

/** The spec recorded in a table's schema; undefined for a table embedline did not create. */
export function specFromSchema(schema: { metadata: Map<string, string> }): CollectionSpec | undefined {
  const text = schema.metadata.get(SPEC_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as CollectionSpec);
}

/** Field-metadata key on the id column holding the recorded "no close match" floor (JSON). */
const SCORE_FLOOR_KEY = 'embedline.score_floor';

/** The floor recorded on the table, if any. */
export function scoreFloorFromSchema(schema: { fields: Array<{ name: string; metadata: Map<string, string> }> }): ScoreFloor | undefined {
  const text = schema.fields.find((f) => f.name === COLUMNS.id)?.metadata.get(SCORE_FLOOR_KEY);
  if (text === undefined) return undefined;
  const floor: unknown = JSON.parse(text);
  return isScoreFloor(floor) ? floor : undefined;
}

/** The field-metadata update that records the floor (Lance merges it into the id column's metadata). */
export function scoreFloorUpdate(floor: ScoreFloor): FieldMetadataUpdate {
  return { path: COLUMNS.id, metadata: { [SCORE_FLOOR_KEY]: JSON.stringify(floor) } };
}

/** Field-metadata keys on a filter column: the exact metadata key, and the type recorded for it. */
const FIELD_NAME_KEY = 'embedline.field';
const FIELD_TYPE_KEY = 'embedline.type';

/** The field types recorded on the filter columns (columns from before types were recorded have none). */
export function fieldTypesFromSchema(schema: { fields: Array<{ metadata: Map<string, string> }> }): FieldTypes {
  const types: FieldTypes = {};
  for (const field of schema.fields) {
    const name = field.metadata.get(FIELD_NAME_KEY);
    const type = field.metadata.get(FIELD_TYPE_KEY);
    if (name !== undefined && isFieldType(type)) types[name] = type;
  }
  return types;
}

/** The field-metadata updates that record these types on their filter columns. */
export function fieldTypeUpdates(types: FieldTypes): FieldMetadataUpdate[] {
  return Object.entries(types).map(([field, type]) => ({ path: metadataColumn(field), metadata: { [FIELD_NAME_KEY]: field, [FIELD_TYPE_KEY]: type } }));
}
