// embedline filters as Qdrant filters. A point's payload holds the chunk fields at the top and the
// metadata under `metadata`, so {"lang": "en"} reads key `metadata.lang` while {"documentId": …}
// reads `documentId`. Every field becomes one `must` condition: fields are ANDed. Values arrive
// already converted to their fields' recorded types (field-types.ts); a float field is matched by
// range, the one condition a float payload index serves. An array payload matches a `match` when one
// of its elements does (contains), as Qdrant defines it. A number range is a `range`; a date range
// is a `range` with RFC 3339 bounds, which Qdrant reads as a datetime range over the stored strings
// (a date-only bound is midnight UTC). `not` is a `must_not` holding the inner filter: a point
// without the field passes it.
import type { Schemas } from '@qdrant/js-client-rest';
import { conditionForm, filterParts, type Filter, type FilterCondition, type FilterRange, type FilterScalar } from '../../contracts/filter.ts';
import { EmbedlineError } from '../../errors.ts';
import type { FieldTypes } from '../field-types.ts';

type Condition = Schemas['Condition'];

/** Keys Qdrant's JSON paths take unquoted; any other key is written quoted: metadata."a b". */
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** The payload key of a filter field. */
export function payloadKey(field: string): string {
  if (field === 'documentId') return field;
  if (PLAIN_KEY.test(field)) return `metadata.${field}`;
  if (field.includes('"')) {
    throw new EmbedlineError('BAD_REQUEST', `metadata field ${JSON.stringify(field)} cannot be filtered on Qdrant: its payload paths cannot quote a double quote`, {
      details: { field },
    });
  }
  return `metadata."${field}"`;
}

/**
 * The Qdrant filter for an embedline filter plus any conditions of the caller's own; `types` are the
 * collection's recorded field types (float fields are matched by range).
 */
export function qdrantFilter(filter: Filter | undefined, extra: Condition[] = [], types: FieldTypes = {}): Schemas['Filter'] | undefined {
  const { fields, not } = filterParts(filter ?? {});
  const must = [...fields.map(([field, condition]) => fieldCondition(payloadKey(field), condition, types[field] === 'float')), ...extra];
  const mustNot = not === undefined ? undefined : qdrantFilter(not, [], types);
  if (must.length === 0 && mustNot === undefined) return undefined;
  return { ...(must.length > 0 ? { must } : {}), ...(mustNot ? { must_not: [mustNot] } : {}) };
}

function fieldCondition(key: string, condition: FilterCondition, byRange: boolean): Condition {
  const form = conditionForm(condition);
  if (form.kind === 'range') {
    if (key === 'documentId') throw new EmbedlineError('BAD_REQUEST', 'filter.documentId: document ids take no range', { details: { field: key } });
    // Qdrant's datetime bounds are RFC 3339 date-times: a day is its midnight UTC.
    const bounds = Object.entries(form.range).map(([op, bound]) => [op, typeof bound === 'string' && !bound.includes('T') ? `${bound}T00:00:00Z` : bound]);
    return { key, range: Object.fromEntries(bounds) as FilterRange };
  }
  if (!Array.isArray(condition)) return scalarCondition(key, form.values[0], byRange);
  const values = [...new Set(form.values)]; // Qdrant wants `any` lists without repeats
  // `match.any` takes all-strings or all-integers; any other mix is "one of these conditions".
  if (values.every((v): v is string => typeof v === 'string')) return { key, match: { any: values } };
  if (!byRange && values.every(isMatchableInteger)) return { key, match: { any: values } };
  return { should: values.map((v) => scalarCondition(key, v, byRange)) };
}

/**
 * Strings, booleans and integers match exactly and by type, as in the local store: 2020 does not
 * match "2020". Qdrant cannot `match` a fractional number (nor anything in a float index), so
 * those become the range [x, x].
 */
function scalarCondition(key: string, value: FilterScalar, byRange: boolean): Condition {
  if (typeof value === 'number' && (byRange || !isMatchableInteger(value))) {
    if (!Number.isFinite(value)) throw new EmbedlineError('BAD_REQUEST', `filter value for ${key} must be a finite number, got ${value}`);
    return { key, range: { gte: value, lte: value } };
  }
  return { key, match: { value } };
}

function isMatchableInteger(value: FilterScalar): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
