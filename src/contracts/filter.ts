// Search filters, the same for every store: {"field": value} is equality, {"field": [a, b]} is
// any-of. Fields are metadata keys, or `documentId`.
import { EmbedlineError } from '../errors.ts';

export type FilterScalar = string | number | boolean;
export type Filter = Record<string, FilterScalar | FilterScalar[]>;

const isScalar = (v: unknown): v is FilterScalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Validates untrusted input (CLI --filter, HTTP body) into a Filter, naming the bad field. */
export function parseFilter(value: unknown, where = 'filter'): Filter {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EmbedlineError('BAD_REQUEST', `${where} must be an object like {"field": value} or {"field": [a, b]}`);
  }
  for (const [field, condition] of Object.entries(value)) {
    if (field === '') throw new EmbedlineError('BAD_REQUEST', `${where}: empty field name`);
    const ok = isScalar(condition) || (Array.isArray(condition) && condition.length > 0 && condition.every(isScalar));
    if (!ok) {
      throw new EmbedlineError('BAD_REQUEST', `${where}.${field} must be a string, number, boolean, or a non-empty array of them`, {
        details: { field },
      });
    }
  }
  return value as Filter;
}
