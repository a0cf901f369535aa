// Search filters, the same for every store. Each key of a filter is a field (a metadata key, or
// `documentId`) and all of them must hold (AND):
//   {"lang": "en"}                      equality; on an array field, "contains": its values include "en"
//   {"lang": ["en", "de"]}              any of these (on an array field: contains any of them)
//   {"year": {"gte": 2020, "lt": 2024}} a range: gt / gte / lt / lte, numbers or ISO 8601 dates
//   {"not": {...}}                      the inner filter must not hold (a point without the field passes)
// Date bounds are `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS[.fff]]Z` (UTC): they match string values
// written the same way (see docs/search-answers.md, "Filters"). The key `not` is always the operator, so a
// metadata key named "not" cannot be filtered on.
import { EmbedlineError } from '../errors.ts';

export type FilterScalar = string | number | boolean;
export type RangeBound = number | string;
export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;
export type RangeOperator = (typeof RANGE_OPERATORS)[number];
export type FilterRange = Partial<Record<RangeOperator, RangeBound>>;
export type FilterCondition = FilterScalar | FilterScalar[] | FilterRange;
/** `not` holds a Filter; every other key a FilterCondition. */
export interface Filter {
  [field: string]: FilterCondition | Filter | undefined;
  not?: Filter;
}

export const NOT_KEY = 'not';

/** The form of one field's condition: what each store turns into its own syntax. */
export type ConditionForm = { kind: 'equals'; values: FilterScalar[] } | { kind: 'range'; range: FilterRange };

/** A filter's field conditions and its negated part, apart. */
export function filterParts(filter: Filter): { fields: Array<[string, FilterCondition]>; not?: Filter } {
  const fields = Object.entries(filter).filter(([field, c]) => field !== NOT_KEY && c !== undefined) as Array<[string, FilterCondition]>;
  return { fields, not: filter.not };
}

/** Every field a filter names, inside `not` too. */
export function filterFields(filter: Filter): string[] {
  const { fields, not } = filterParts(filter);
  return [...fields.map(([field]) => field), ...(not === undefined ? [] : filterFields(not))];
}

export function conditionForm(condition: FilterCondition): ConditionForm {
  if (Array.isArray(condition)) return { kind: 'equals', values: condition };
  if (typeof condition === 'object') return { kind: 'range', range: condition };
  return { kind: 'equals', values: [condition] };
}

const isScalar = (v: unknown): v is FilterScalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** ISO 8601 dates as range bounds take them: a day, or a UTC date-time. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z)?$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/** `not` inside `not` this deep is refused: no real filter needs it, and the stores recurse. */
export const MAX_NOT_DEPTH = 16;

/** Validates untrusted input (CLI --filter, HTTP body) into a Filter, naming the bad part. */
export function parseFilter(value: unknown, where = 'filter', depth = 0): Filter {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EmbedlineError('BAD_REQUEST', `${where} must be an object like {"field": value}, {"field": [a, b]}, {"field": {"gte": x}} or {"not": {...}}`);
  }
  for (const [field, condition] of Object.entries(value)) {
    if (field === '') throw new EmbedlineError('BAD_REQUEST', `${where}: empty field name`);
    if (field === NOT_KEY) {
      if (condition === null || typeof condition !== 'object' || Array.isArray(condition) || Object.keys(condition).length === 0) {
        throw new EmbedlineError('BAD_REQUEST', `${where}.not must be a non-empty filter object like {"lang": "en"}`, { details: { field } });
      }
      if (depth >= MAX_NOT_DEPTH) throw new EmbedlineError('BAD_REQUEST', `${where}.not: "not" is nested more than ${MAX_NOT_DEPTH} deep`, { details: { field } });
      parseFilter(condition, `${where}.not`, depth + 1);
      continue;
    }
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      checkRange(condition as Record<string, unknown>, `${where}.${field}`, field);
      continue;
    }
    const ok = isScalar(condition) || (Array.isArray(condition) && condition.length > 0 && condition.every(isScalar));
    if (!ok) {
      throw new EmbedlineError('BAD_REQUEST', `${where}.${field} must be a string, number, boolean, a non-empty array of them, or a range like {"gte": 2020}`, {
        details: { field },
      });
    }
  }
  return value as Filter;
}

function checkRange(range: Record<string, unknown>, where: string, field: string): void {
  const keys = Object.keys(range);
  const bad = keys.find((k) => !(RANGE_OPERATORS as readonly string[]).includes(k));
  if (keys.length === 0 || bad !== undefined) {
    const what = bad === undefined ? 'is an empty range' : `has unknown operator "${bad}"`;
    throw new EmbedlineError('BAD_REQUEST', `${where} ${what}: a range takes gt, gte, lt and lte (nested objects are not filters)`, { details: { field } });
  }
  const bounds = Object.entries(range);
  for (const [op, bound] of bounds) {
    const number = typeof bound === 'number' && Number.isFinite(bound);
    if (!number && !(typeof bound === 'string' && isIsoDate(bound))) {
      throw new EmbedlineError('BAD_REQUEST', `${where}.${op} must be a number or an ISO 8601 date (2024-03-01 or 2024-03-01T12:00:00Z), got ${JSON.stringify(bound)}`, {
        details: { field },
      });
    }
  }
  if (new Set(bounds.map(([, b]) => typeof b)).size > 1) {
    throw new EmbedlineError('BAD_REQUEST', `${where} mixes number and date bounds`, { details: { field } });
  }
}
