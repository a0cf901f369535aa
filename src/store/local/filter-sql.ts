// Turns a store Filter into a Lance SQL predicate over the collection's filter columns, which hold
// each value's JSON text (metadata-columns.ts):
// - equality is `column = '"en"'`, or for an array value the substring MARK"en"MARK (contains);
// - a number range casts the text: TRY_CAST('2020' AS DOUBLE) is 2020, a quoted string or a boolean
//   casts to NULL and so never matches (type-strict, as a Qdrant range is);
// - a date range compares the JSON text of date-shaped strings ('"2024-03-01…') as text, which is
//   chronological for ISO 8601 dates written one way in UTC (`2024-03-01`, `2024-03-01T12:00:00Z`):
//   a date-only bound stands for midnight UTC, as Qdrant reads it;
// - `not` is NOT COALESCE(inner, FALSE): a row without the field passes, as with Qdrant's must_not.
import { EmbedlineError } from '../../errors.ts';
import { conditionForm, filterParts, type Filter, type FilterCondition, type FilterRange, type FilterScalar, type RangeOperator } from '../../contracts/filter.ts';
import { unknownFieldError } from '../field-types.ts';
import { ARRAY_MARK, filterText, metadataColumn } from './metadata-columns.ts';
import { sqlAnd, sqlColumn, sqlNumber, sqlString } from './sql.ts';
import { COLUMNS } from './table-layout.ts';

const SQL_OPERATORS: Record<RangeOperator, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
/** The JSON text of a string starting with a date: '"YYYY-MM-DD…'. */
const DATE_SHAPED = sqlString('"____-__-__%');

/**
 * `columns` are the table's current column names: a metadata key with no filter column was never
 * stored in this collection, and is almost certainly a typo, so it is refused by name rather than
 * silently matching nothing.
 */
export function filterSql(filter: Filter | undefined, columns: ReadonlySet<string>): string | undefined {
  if (filter === undefined) return undefined;
  const { fields, not } = filterParts(filter);
  const conditions = fields.map(([field, condition]) => fieldSql(field, condition, columns));
  const negated = filterSql(not, columns);
  return sqlAnd(...conditions, negated === undefined ? undefined : `NOT COALESCE(${negated}, FALSE)`);
}

function fieldSql(field: string, condition: FilterCondition, columns: ReadonlySet<string>): string {
  const form = conditionForm(condition);
  if (field === 'documentId') {
    // Document ids are always strings; a number given for one (typed into a URL) means the same id.
    if (form.kind === 'range') throw new EmbedlineError('BAD_REQUEST', 'filter.documentId: document ids take no range', { details: { field } });
    return `${sqlColumn(COLUMNS.documentId)} IN (${form.values.map((v) => sqlString(String(v))).join(', ')})`;
  }
  const column = metadataColumn(field);
  if (!columns.has(column)) throw unknownFieldError(field);
  switch (form.kind) {
    case 'equals':
      return equalsSql(sqlColumn(column), form.values);
    case 'range':
      return rangeSql(sqlColumn(column), form.range);
  }
}

/** Any of the values, held as the whole value or as an element of an array. */
function equalsSql(column: string, values: FilterScalar[]): string {
  const texts = values.map((v) => filterText(v) as string);
  const whole = texts.length === 1 ? `${column} = ${sqlString(texts[0])}` : `${column} IN (${texts.map(sqlString).join(', ')})`;
  const elements = texts.map((text) => `strpos(${column}, ${sqlString(ARRAY_MARK + text + ARRAY_MARK)}) > 0`);
  return [whole, ...elements].join(' OR ');
}

function rangeSql(column: string, range: FilterRange): string {
  const bounds = Object.entries(range) as Array<[RangeOperator, number | string]>;
  const dates = bounds.some(([, bound]) => typeof bound === 'string');
  const target = dates ? column : `TRY_CAST(${column} AS DOUBLE)`;
  const compared = bounds.map(([op, bound]) => `${target} ${SQL_OPERATORS[op]} ${typeof bound === 'number' ? sqlNumber(bound) : sqlString(dateBoundText(op, bound))}`);
  return (dates ? [`${column} LIKE ${DATE_SHAPED}`, ...compared] : compared).join(' AND ');
}

/**
 * The text a date bound compares stored JSON texts against. A day D means D at midnight UTC: "on or
 * after D" and "before D" compare with '"D' (every stored text of day D sorts after it), "after D"
 * and "on or before D" with '"DT00:00:00Z"' (the stored day D itself sorts before that).
 */
function dateBoundText(op: RangeOperator, bound: string): string {
  if (bound.includes('T')) return JSON.stringify(bound);
  return op === 'gte' || op === 'lt' ? `"${bound}` : JSON.stringify(`${bound}T00:00:00Z`);
}
