// Metadata is kept twice: whole, as a JSON column that round-trips the original types, and once per
// key in a filter column that Lance can compare in SQL. Keys differ per collection and arrive with
// the data, so filter columns are added to the table as new keys show up.
//
// A filter column holds the JSON text of the value ("\"en\"", "2020", "true"): one string column
// serves every type, a key may carry different types in different rows, and equality stays
// type-strict (the number 2020 does not match the string "2020"), as a Qdrant payload match is.
// An array is written as its elements' JSON texts, each followed by ARRAY_MARK and the whole led by
// one ("\u0001\"a\"\u0001\"b\"\u0001"): JSON escapes control characters, so the mark never occurs inside
// an element, and "contains a" is the substring ARRAY_MARK + "\"a\"" + ARRAY_MARK (filter-sql.ts).
import { createHash } from 'node:crypto';
import type { MetadataValue } from '../../contracts/chunk.ts';
import type { FilterScalar } from '../../contracts/filter.ts';

const PREFIX = 'meta_';

/**
 * A stable, SQL-safe column name for a metadata key: a readable slug plus a hash of the exact key,
 * so keys that slug alike ("Lang", "lang ") still get their own column. Every process derives the
 * same name, so no key-to-column map has to be stored or shared.
 */
export function metadataColumn(key: string): string {
  const slug = key.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 10);
  return `${PREFIX}${slug}${slug ? '_' : ''}${hash}`;
}

/** Around and between an array's elements in its filter text. */
export const ARRAY_MARK = '\u0001';

/** The filter-column text of a value; null (and absent keys) stay SQL NULL and match nothing. */
export function filterText(value: MetadataValue | FilterScalar): string | null {
  if (value === null) return null;
  if (Array.isArray(value)) return ARRAY_MARK + value.map((item) => JSON.stringify(item) + ARRAY_MARK).join('');
  return JSON.stringify(value);
}
