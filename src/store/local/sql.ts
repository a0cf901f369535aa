// The only place SQL text for Lance filters is assembled. Values are always quoted literals and
// column names always backtick-quoted identifiers, so no user value can change the statement.

/** A string literal: the SQL standard doubles single quotes; backslashes are not escapes here. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted column name (DataFusion lower-cases unquoted identifiers). */
export function sqlColumn(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** Joins conditions with AND, skipping absent ones; undefined when nothing is left. */
export function sqlAnd(...conditions: Array<string | undefined>): string | undefined {
  const present = conditions.filter((c): c is string => c !== undefined && c !== '');
  if (present.length === 0) return undefined;
  return present.map((c) => `(${c})`).join(' AND ');
}
