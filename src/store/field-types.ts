// The metadata fields a collection holds and the type recorded for each, and what a filter on them
// means. Both stores record a field's type when its first value is written (CSV metadata are
// strings: keyword; JSONL may carry integers, floats and booleans), and read filters through it:
// `{"year": 2023}` on a collection whose `year` is a keyword means "2023", not "nothing", and
// `{"year": "soon"}` on an integer field is refused by name instead of matching nothing silently.
import type { Metadata, MetadataValue } from '../contracts/chunk.ts';
import { conditionForm, filterParts, type Filter, type FilterRange, type FilterScalar } from '../contracts/filter.ts';
import { EmbedlineError } from '../errors.ts';

/** Qdrant's payload index types for them, which the local store records by the same names. */
export type FieldType = 'keyword' | 'integer' | 'float' | 'bool';
/** Field name → recorded type. */
export type FieldTypes = Record<string, FieldType>;

export const FIELD_TYPES: readonly FieldType[] = ['keyword', 'integer', 'float', 'bool'];

export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

/**
 * The type of one stored value; null (and an empty array) records nothing. An array records the
 * type of its elements (ingest keeps only arrays of one scalar type): a filter on it reads
 * "contains", and Qdrant indexes each element with that type.
 */
export function valueType(value: MetadataValue): FieldType | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : valueType(value[0]);
  switch (typeof value) {
    case 'string':
      return 'keyword';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isSafeInteger(value) ? 'integer' : 'float';
    default:
      return undefined;
  }
}

/**
 * A field keeps the type recorded first; integers widen to float when a fraction arrives. Other
 * mixes keep the first type (values of another type stay stored, but filters read the field as
 * its recorded type).
 */
export function widenedType(recorded: FieldType | undefined, seen: FieldType): FieldType {
  if (recorded === undefined) return seen;
  return recorded === 'integer' && seen === 'float' ? 'float' : recorded;
}

/**
 * The records to add or change for these metadata: fields not yet recorded, and integer fields that
 * received a fraction. Empty when everything is recorded already (the common case: no write).
 */
export function fieldTypeChanges(recorded: FieldTypes, metadata: Iterable<Metadata>): FieldTypes {
  const changes: FieldTypes = {};
  for (const values of metadata) {
    for (const [field, value] of Object.entries(values)) {
      const seen = valueType(value);
      if (seen === undefined) continue;
      const current = changes[field] ?? recorded[field];
      const next = widenedType(current, seen);
      if (next !== recorded[field]) changes[field] = next;
    }
  }
  return changes;
}

/**
 * The filter as the collection's recorded types read it: each value converted to its field's type
 * when that is lossless ("2023" ↔ 2023, "true" ↔ true), else a BAD_REQUEST naming the field and
 * why. `documentId` is always text. Fields without a record (collections from before types were
 * recorded, or keys no point has) pass unchanged: the store decides about them as before.
 */
export function coerceFilter(filter: Filter | undefined, types: FieldTypes | undefined): Filter | undefined {
  if (filter === undefined) return undefined;
  const { fields, not } = filterParts(filter);
  const coerced: Filter = {};
  for (const [field, condition] of fields) {
    const type: FieldType | undefined = field === 'documentId' ? 'keyword' : types !== undefined && Object.hasOwn(types, field) ? types[field] : undefined;
    if (type === undefined) {
      coerced[field] = condition;
      continue;
    }
    const form = conditionForm(condition);
    if (form.kind === 'range') {
      coerced[field] = coerceRange(field, type, form.range);
      continue;
    }
    const convert = (value: FilterScalar) => coerceValue(field, type, value);
    coerced[field] = Array.isArray(condition) ? form.values.map(convert) : convert(form.values[0]);
  }
  if (not !== undefined) coerced.not = coerceFilter(not, types);
  return coerced;
}

/**
 * A range holds numbers on integer and float fields and ISO dates on keyword fields (strings that
 * are dates); any other pairing can never match and is refused by name.
 */
function coerceRange(field: string, type: FieldType, range: FilterRange): FilterRange {
  const numeric = Object.values(range).every((bound) => typeof bound === 'number');
  const fits = numeric ? type === 'integer' || type === 'float' : type === 'keyword';
  if (!fits) {
    const holds = type === 'keyword' ? 'text: a range on it takes ISO dates' : type === 'bool' ? 'true or false: it has no range' : 'numbers: a range on it takes numbers';
    throw new EmbedlineError('BAD_REQUEST', `filter.${field}: ${JSON.stringify(range)} can never match: "${field}" is recorded as ${type} in this collection (it holds ${holds})`, {
      details: { field, type },
    });
  }
  return range;
}

function coerceValue(field: string, type: FieldType, value: FilterScalar): FilterScalar {
  switch (type) {
    case 'keyword':
      return typeof value === 'string' ? value : String(value);
    case 'integer': {
      const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
      throw typeMismatch(field, type, value, 'integers');
    }
    case 'float': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n === 'number' && Number.isFinite(n)) return n;
      throw typeMismatch(field, type, value, 'numbers');
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw typeMismatch(field, type, value, 'true or false');
    }
  }
}

/**
 * A filter on a key no point of the collection has is almost certainly a typo: refused by name
 * rather than silently matching nothing (each store knows its fields its own way).
 */
export function unknownFieldError(field: string): EmbedlineError {
  return new EmbedlineError('BAD_REQUEST', `unknown filter field "${field}": no point in this collection has that metadata key`, { details: { field } });
}

function typeMismatch(field: string, type: FieldType, value: FilterScalar, holds: string): EmbedlineError {
  return new EmbedlineError(
    'BAD_REQUEST',
    `filter.${field}: ${JSON.stringify(value)} can never match: "${field}" is recorded as ${type} in this collection (it holds ${holds})`,
    { details: { field, type } },
  );
}
