// The one table from error codes to HTTP statuses: our own errors (src/errors.ts) and the failures
// that only exist at the HTTP layer. A Record over every code, so adding a code fails the type
// check until it has a status here; every error response's status comes from this table.
import type { ErrorCode } from '../errors.ts';

/** Codes for failures that only exist at the HTTP layer (no route, no key, body too big, …). */
const HTTP_ERROR_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'RANGE_NOT_SATISFIABLE',
  'RATE_LIMITED',
  'HEADERS_TOO_LARGE',
  'INTERNAL',
  'TIMEOUT',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export type AnyErrorCode = ErrorCode | HttpErrorCode;

export const STATUS_BY_CODE: Record<AnyErrorCode, number> = {
  BAD_REQUEST: 400,
  TEXT_EMPTY: 400,
  TEXT_TOO_LONG: 400,
  INPUT_INVALID: 400,
  COLUMN_MISSING: 400,
  SOURCE_INVALID: 400,
  UNAUTHORIZED: 401,
  // A path the page's file server refuses to resolve (`..`, NUL bytes): never BAD_REQUEST.
  FORBIDDEN: 403,
  COLLECTION_MISSING: 404,
  // An embedding request named neither the served model folder nor a collection.
  MODEL_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // Another run holds the collection (an ingest during a reindex or migrate): try again after it.
  COLLECTION_BUSY: 409,
  // A keyword or hybrid search on a collection from before keyword indexes: the operator runs `embedline reindex`.
  KEYWORD_INDEX_MISSING: 409,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  // The server lacks the model a collection was built with: the operator's problem, not the client's.
  COLLECTION_MISMATCH: 500,
  MODEL_DIR_MISSING: 500,
  MODEL_FILE_MISSING: 500,
  MODEL_INVALID: 500,
  POOLING_UNSUPPORTED: 500,
  CONFIG_INVALID: 500,
  // Only the CLI's model export raises it; never an HTTP answer.
  EXPORT_FAILED: 500,
  // Only a CLI ingest stopped by a signal raises it; never an HTTP answer.
  INTERRUPTED: 503,
  // Only a CLI ingest over its --max-rejects bound raises it; never an HTTP answer.
  TOO_MANY_REJECTS: 500,
  STORE_REJECTED: 500,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  // The model could not be fetched from the Hub (unreachable, or the download broke off): retry.
  MODEL_DOWNLOAD_FAILED: 503,
  // A session thread died mid-batch; it is replaced at once, so the same request can simply be sent again.
  INFERENCE_INTERRUPTED: 503,
  QUEUE_UNAVAILABLE: 503,
  // More work queued than EMBEDLINE_MAX_QUEUED_REQUESTS: come back shortly (Retry-After says when).
  OVERLOADED: 503,
  // A handler that did not finish within EMBEDLINE_HTTP_TIMEOUT_MS + 5 s (a dependency that hangs).
  TIMEOUT: 503,
};

/**
 * The code for a client-error status some library chose (fastify, @fastify/static): the HTTP-layer
 * code the table gives that status, else BAD_REQUEST (whose status, 400, is then what is sent), so
 * a response's status always comes from the table.
 */
export function codeForClientStatus(status: number): AnyErrorCode {
  return HTTP_ERROR_CODES.find((code) => STATUS_BY_CODE[code] === status && status < 500) ?? 'BAD_REQUEST';
}

/** Seconds a client should wait before retrying a 503: the failures behind it are brief by nature. */
export const RETRY_AFTER_SECONDS = 1;
