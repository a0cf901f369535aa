// The one table from error codes to HTTP statuses. A Record over every ErrorCode, so adding a code
// to src/errors.ts fails the type check until it has a status here.
import type { ErrorCode } from '../../errors.ts';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  TEXT_EMPTY: 400,
  TEXT_TOO_LONG: 400,
  INPUT_INVALID: 400,
  COLUMN_MISSING: 400,
  SOURCE_INVALID: 400,
  COLLECTION_MISSING: 404,
  // An embedding request named neither the served model folder nor a collection.
  MODEL_NOT_FOUND: 404,
  // The server lacks the model a collection was built with: the operator's problem, not the client's.
  COLLECTION_MISMATCH: 500,
  MODEL_DIR_MISSING: 500,
  MODEL_FILE_MISSING: 500,
  MODEL_INVALID: 500,
  POOLING_UNSUPPORTED: 500,
  CONFIG_INVALID: 500,
  STORE_REJECTED: 500,
  STORE_UNAVAILABLE: 503,
  // A session thread died mid-batch; it is replaced at once, so the same request can simply be sent again.
  INFERENCE_INTERRUPTED: 503,
  QUEUE_UNAVAILABLE: 503,
};

/** Codes for failures that only exist at the HTTP layer (no route, no key, body too big, …). */
export type HttpErrorCode = 'UNAUTHORIZED' | 'NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED' | 'INTERNAL';
