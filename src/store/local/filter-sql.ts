// Turns a store Filter into a Lance SQL predicate over the collection's columns.
import { EmbedlineError } from '../../errors.ts';
import type { Filter, FilterScalar } from '../../contracts/filter.ts';
import { unknownFieldError } from '../field-types.ts';
import { filterText, metadataColumn } from './metadata-columns.ts';
import { sqlAnd, sqlColumn, sqlString } from './sql.ts';
import { COLUMNS } from './table-layout.ts';

/**
 * `columns` are the table's current column names: a metadata key with no filter column was never
 * stored in this collection, and is almost certainly a typo, so it is refused by name rather than
 * silently matching nothing.
 */
export function filterSql(filter: Filter | undefined, columns: ReadonlySet<string>): string | undefined {
  if (filter === undefined) return undefined;
  const conditions = Object.entries(filter).map(([field, condition]) => {
    const { column, literal } = fieldTarget(field, columns);
    const values = Array.isArray(condition) ? condition : [condition];
    if (values.length === 0) throw new EmbedlineError('BAD_REQUEST', `filter.${field}: empty list of values`, { details: { field } });
    const literals = values.map(literal);
    return literals.length === 1 ? `${sqlColumn(column)} = ${literals[0]}` : `${sqlColumn(column)} IN (${literals.join(', ')})`;
  });
  return sqlAnd(...conditions);
}

function fieldTarget(field: string, columns: ReadonlySet<string>): { column: string; literal: (v: FilterScalar) => string } {
  // Document ids are always strings; a number given for one (typed into a URL) means the same id.
  if (field === 'documentId') return { column: COLUMNS.documentId, literal: (v) => sqlString(String(v)) };
  const column = metadataColumn(field);
  if (!columns.has(column)) throw unknownFieldError(field);
  return { column, literal: (v) => sqlString(filterText(v) as string) };
}
