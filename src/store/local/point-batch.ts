// The Arrow table a write hands to LanceDB's merge-insert, built column by column in the table's own
// schema: the vectors as one Float32 buffer under the FixedSizeList (no per-row copies), the int
// columns as typed arrays, the strings encoded into one buffer each. Handing LanceDB rows instead
// made it convert every value through apache-arrow's builders on the main thread (each vector float
// one call), the largest CPU cost of a write after the keyword terms.
//
// Every column of the schema is written: a merge-insert that left a column out would keep the
// replaced row's old value there. So each filter column is null where a point has no such key, the
// keyword terms go where the table has their column (not in tables from before keyword search), and
// a column this code does not know (none today) is written as nulls.
//
// apache-arrow is loaded the way LanceDB loads it (require: its CommonJS build), not by `import` (the
// ES module build): the two are separate copies whose classes fail each other's instanceof checks,
// and the table's schema comes from LanceDB's copy, so the batch must be made with that copy too.
import { createRequire } from 'node:module';
import type { Data, Field, FixedSizeList, Schema, Table, Utf8 } from 'apache-arrow';
import type { StoredPoint } from '../vector-store.ts';
import { keywordTerms } from '../keyword-terms.ts';
import { versionOf } from '../write-version.ts';
import { filterText, metadataColumn } from './metadata-columns.ts';
import { COLUMNS, KEYWORDS_COLUMN, VERSION_COLUMN } from './table-layout.ts';

const { DataType, makeData, RecordBatch, Struct, Table: ArrowTable, vectorFromArray } = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');

type Value = string | number | null;

/** The points as one record batch in `schema` (the table's, with every column it has). */
export function pointTable(points: readonly StoredPoint[], schema: Schema): Table {
  const filters = filterValues(points);
  const children = schema.fields.map((field) => {
    if (field.name === COLUMNS.vector && DataType.isFixedSizeList(field.type)) return vectorData(points, field.type);
    return columnData(field, points.length, columnValues(field.name, points, filters));
  });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: points.length, nullCount: 0, children }));
  return new ArrowTable(schema, [batch]);
}

/** Every column the store itself writes, but the vector (vectorData), as read off a point; checked complete by its type. */
type WrittenColumn = Exclude<(typeof COLUMNS)[keyof typeof COLUMNS], typeof COLUMNS.vector> | typeof VERSION_COLUMN | typeof KEYWORDS_COLUMN;
const VALUE_OF: Record<WrittenColumn, (point: StoredPoint) => Value> = {
  [COLUMNS.id]: (p) => p.id,
  [COLUMNS.documentId]: (p) => p.chunk.documentId,
  [COLUMNS.chunkIndex]: (p) => p.chunk.chunkIndex,
  [COLUMNS.text]: (p) => p.chunk.text,
  [COLUMNS.start]: (p) => p.chunk.start,
  [COLUMNS.end]: (p) => p.chunk.end,
  [COLUMNS.tokens]: (p) => p.chunk.tokens,
  [COLUMNS.contentHash]: (p) => p.chunk.contentHash,
  [COLUMNS.metadata]: (p) => JSON.stringify(p.chunk.metadata),
  [VERSION_COLUMN]: versionOf,
  [KEYWORDS_COLUMN]: (p) => keywordTerms(p.chunk.text).join(' '),
};

/** One column's values, in the points' order: the store's own, else a filter column's (nulls for one no point has). */
function columnValues(column: string, points: readonly StoredPoint[], filters: ReadonlyMap<string, Value[]>): Value[] {
  const valueOf = Object.hasOwn(VALUE_OF, column) ? VALUE_OF[column as WrittenColumn] : undefined;
  if (valueOf !== undefined) return points.map(valueOf);
  return filters.get(column) ?? points.map(() => null);
}

/** Each filter column the points have values for: the values, null where a point lacks the key. */
function filterValues(points: readonly StoredPoint[]): Map<string, Value[]> {
  const columnOf = new Map<string, string>();
  const values = new Map<string, Value[]>();
  points.forEach((point, i) => {
    for (const [key, value] of Object.entries(point.chunk.metadata)) {
      let column = columnOf.get(key);
      if (column === undefined) columnOf.set(key, (column = metadataColumn(key)));
      let list = values.get(column);
      if (list === undefined) values.set(column, (list = points.map(() => null)));
      list[i] = filterText(value);
    }
  });
  return values;
}

/** The vectors, copied once into one Float32 buffer: the FixedSizeList's child. */
function vectorData(points: readonly StoredPoint[], type: FixedSizeList): Data {
  const size = type.listSize;
  const floats = new Float32Array(points.length * size);
  points.forEach((p, i) => floats.set(p.vector, i * size));
  const child = makeData({ type: type.children[0].type, length: floats.length, nullCount: 0, data: floats });
  return makeData({ type, length: points.length, nullCount: 0, child });
}

/** 32-bit signed ints without nulls and strings straight into their buffers; anything else through the builder. */
function columnData(field: Field, length: number, values: Value[]): Data {
  const { type } = field;
  if (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned && values.every((v) => typeof v === 'number')) {
    return makeData({ type, length, nullCount: 0, data: Int32Array.from(values as number[]) });
  }
  if (DataType.isUtf8(type) && values.every((v) => v === null || typeof v === 'string')) return utf8Data(type, values as Array<string | null>);
  return vectorFromArray(values, type).data[0];
}

/** A string column: the texts written one after another into one buffer (the builder encodes and grows value by value). */
function utf8Data(type: Utf8, values: ReadonlyArray<string | null>): Data {
  const valueOffsets = new Int32Array(values.length + 1);
  let bytes = 0;
  let nullCount = 0;
  values.forEach((value, i) => {
    if (value === null) nullCount++;
    else bytes += Buffer.byteLength(value);
    valueOffsets[i + 1] = bytes;
  });
  const data = Buffer.alloc(bytes);
  values.forEach((value, i) => {
    if (value !== null) data.write(value, valueOffsets[i]);
  });
  if (nullCount === 0) return makeData({ type, length: values.length, nullCount, valueOffsets, data });
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((value, i) => {
    if (value !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
  });
  return makeData({ type, length: values.length, nullCount, nullBitmap, valueOffsets, data });
}
