// embedline filters as Qdrant filters. A point's payload holds the chunk fields at the top and the
// metadata under `metadata`, so {"lang": "en"} reads key `metadata.lang` while {"documentId": …}
// reads `documentId`. Every field becomes one `must` condition: fields are ANDed.
import type { Schemas } from '@qdrant/js-client-rest';
import type { Filter, FilterScalar } from '../../contracts/filter.ts';
import { EmbedlineError } from '../../errors.ts';

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

/** The Qdrant filter for an embedline filter plus any conditions of the caller's own. */
export function qdrantFilter(filter: Filter | undefined, ...extra: Condition[]): Schemas['Filter'] | undefined {
  const must = [...Object.entries(filter ?? {}).map(([field, value]) => fieldCondition(payloadKey(field), value)), ...extra];
  return must.length === 0 ? undefined : { must };
}

function fieldCondition(key: string, value: FilterScalar | FilterScalar[]): Condition {
  if (!Array.isArray(value)) return scalarCondition(key, value);
  const values = [...new Set(value)]; // Qdrant wants `any` lists without repeats
  // `match.any` takes all-strings or all-integers; any other mix is "one of these conditions".
  if (values.every((v): v is string => typeof v === 'string')) return { key, match: { any: values } };
  if (values.every(isMatchableInteger)) return { key, match: { any: values } };
  return { should: values.map((v) => scalarCondition(key, v)) };
}

/**
 * Strings, booleans and integers match exactly and by type, as in the local store: 2020 does not
 * match "2020". Qdrant cannot `match` a fractional number, so it becomes the range [x, x].
 */
function scalarCondition(key: string, value: FilterScalar): Condition {
  if (typeof value === 'number' && !isMatchableInteger(value)) {
    if (!Number.isFinite(value)) throw new EmbedlineError('BAD_REQUEST', `filter value for ${key} must be a finite number, got ${value}`);
    return { key, range: { gte: value, lte: value } };
  }
  return { key, match: { value } };
}

function isMatchableInteger(value: FilterScalar): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
