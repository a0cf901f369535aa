// One place for every error the product raises on purpose. Each has a stable `code` that the CLI
// prints, the HTTP layer maps to a status, and the worker reads to decide retry vs dead-letter.

export type ErrorCode =
  | 'MODEL_DIR_MISSING'
  | 'MODEL_FILE_MISSING'
  | 'MODEL_INVALID'
  | 'POOLING_UNSUPPORTED'
  | 'INFERENCE_INTERRUPTED'
  | 'TEXT_EMPTY'
  | 'TEXT_TOO_LONG'
  | 'INPUT_INVALID'
  | 'COLUMN_MISSING'
  | 'SOURCE_INVALID'
  | 'COLLECTION_MISSING'
  | 'MODEL_NOT_FOUND'
  /** The Hub (HF_ENDPOINT) could not be reached or broke off a download: nothing half-written is kept; retry. */
  | 'MODEL_DOWNLOAD_FAILED'
  | 'COLLECTION_MISMATCH'
  /** A keyword or hybrid search on a collection built before keyword indexes existed: `embedline reindex` builds one. */
  | 'KEYWORD_INDEX_MISSING'
  /** Another run holds the collection (an ingest during a reindex or migrate, or the reverse): run again after it. */
  | 'COLLECTION_BUSY'
  | 'STORE_UNAVAILABLE'
  | 'STORE_REJECTED'
  | 'QUEUE_UNAVAILABLE'
  /** More work waiting than the server's bound (EMBEDLINE_MAX_QUEUED_REQUESTS): retry shortly. */
  | 'OVERLOADED'
  | 'CONFIG_INVALID'
  /** `model export`: no usable Python, an install or export step failed, or the export failed its proof. */
  | 'EXPORT_FAILED'
  /** A run stopped by SIGINT/SIGTERM before it finished: what the store holds stays; run it again to finish. */
  | 'INTERRUPTED'
  /** An ingest finished but rejected more records than its --max-rejects bound (exit 3): see its rejects file. */
  | 'TOO_MANY_REJECTS'
  | 'BAD_REQUEST';

/** Every code once, so a code read back from text (a failed job's reason) can be checked. */
const ERROR_CODES: Record<ErrorCode, true> = {
  MODEL_DIR_MISSING: true,
  MODEL_FILE_MISSING: true,
  MODEL_INVALID: true,
  POOLING_UNSUPPORTED: true,
  INFERENCE_INTERRUPTED: true,
  TEXT_EMPTY: true,
  TEXT_TOO_LONG: true,
  INPUT_INVALID: true,
  COLUMN_MISSING: true,
  SOURCE_INVALID: true,
  COLLECTION_MISSING: true,
  MODEL_NOT_FOUND: true,
  MODEL_DOWNLOAD_FAILED: true,
  COLLECTION_MISMATCH: true,
  KEYWORD_INDEX_MISSING: true,
  COLLECTION_BUSY: true,
  STORE_UNAVAILABLE: true,
  STORE_REJECTED: true,
  QUEUE_UNAVAILABLE: true,
  OVERLOADED: true,
  CONFIG_INVALID: true,
  EXPORT_FAILED: true,
  INTERRUPTED: true,
  TOO_MANY_REJECTS: true,
  BAD_REQUEST: true,
};

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

export class EmbedlineError extends Error {
  readonly code: ErrorCode;
  /** True when the same call may succeed later (store down, timeout): the worker retries these. */
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EmbedlineError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export function isEmbedlineError(err: unknown): err is EmbedlineError {
  return err instanceof EmbedlineError;
}

/** Errors that name the text they are about (index within the call, token count). */
export class TextTooLongError extends EmbedlineError {
  constructor(index: number, tokens: number, limit: number) {
    super('TEXT_TOO_LONG', `text ${index} has ${tokens} tokens, over the model's limit of ${limit} (pass truncate to cut it)`, {
      details: { index, tokens, limit },
    });
  }
}

export class EmptyTextError extends EmbedlineError {
  constructor(index: number) {
    super('TEXT_EMPTY', `text ${index} is empty`, { details: { index } });
  }
}
