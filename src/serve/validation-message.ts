// Turns a JSON-schema validation failure into one sentence that names the field, as a client can
// act on it: `body.k must be ≤ 1000`, `body.query is required`, `body has an unknown field "fitler"`.
import { VISIBLE_CHARACTER } from '../contracts/blank-text.ts';

/** The slice of an Ajv error this module reads (fastify passes Ajv's errors through). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A pattern schemas use for "some visible character" (not only whitespace, NUL or other control
 * characters: blank as ingest counts it), with the words that explain it.
 */
export const NOT_BLANK = VISIBLE_CHARACTER;

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

export function validationMessage(context: string, errors: readonly SchemaError[]): string {
  const error = mostTellingError(errors);
  if (!error) return `${context} is invalid`;
  const field = context + error.instancePath.split('/').map(unescapePointer).join('.');
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return `${field}.${String(p.missingProperty)} is required`;
    case 'additionalProperties':
      return `${field} has an unknown field ${JSON.stringify(p.additionalProperty)}`;
    case 'type': {
      const types = String(p.type).split(',');
      return `${field} must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}`;
    }
    case 'minimum':
      return `${field} must be ≥ ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `${field} must be > ${String(p.limit)}`;
    case 'maximum':
      return `${field} must be ≤ ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `${field} must be < ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${String(p.limit)} characters`;
    case 'maxItems':
      return `${field} must have at most ${String(p.limit)} items`;
    case 'minItems':
      return `${field} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxLength':
      return `${field} must be at most ${String(p.limit)} characters`;
    case 'pattern':
      return p.pattern === NOT_BLANK ? `${field} must not be blank` : `${field} must match ${String(p.pattern)}`;
    case 'enum':
      return `${field} must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * The error to report. A value that fails every branch of an `anyOf` (TEI's `inputs`: a text or an
 * array of texts) gets one error per branch: the one that says what is wrong with the value as sent
 * (2,049 items, a blank item) tells more than "must be a string" from the branch it was never meant
 * for. So a type mismatch counts only when nothing else failed, and the deepest field wins.
 */
function mostTellingError(errors: readonly SchemaError[]): SchemaError | undefined {
  if (!errors.some((e) => e.keyword === 'anyOf')) return errors[0];
  const branches = errors.filter((e) => e.keyword !== 'anyOf');
  const specific = branches.filter((e) => e.keyword !== 'type');
  const candidates = specific.length > 0 ? specific : branches;
  return candidates.reduce<SchemaError | undefined>((best, e) => (best === undefined || e.instancePath.length > best.instancePath.length ? e : best), undefined) ?? errors[0];
}

/** JSON Pointer escapes (RFC 6901): a field named "a/b" arrives as "a~1b". */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
