// How a failed Qdrant request maps onto embedline's errors. Network trouble, timeouts and server
// faults may pass, so they are retried and finally reported as STORE_UNAVAILABLE (retryable: the
// worker tries the job again later). A refusal is final: STORE_REJECTED with Qdrant's own words,
// except an unknown collection (COLLECTION_MISSING) and a wrong vector length (COLLECTION_MISMATCH).
import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';

/** Node and undici codes of a connection that could not be made or broke mid-request. */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Statuses that mean "not now" rather than "no": overload, a restart, a proxy in between. */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface HttpRefusal {
  status: number;
  /** Qdrant's message: `status.error` of its JSON error body, or the plain-text body (401). */
  message: string;
}

export interface RequestContext {
  /** What was being done, as in "could not <action>". */
  action: string;
  collection?: string;
  url: string;
  attempts: number;
}

/** The status and message of an HTTP error answer (the client's ApiError), else undefined. */
export function httpRefusal(err: unknown): HttpRefusal | undefined {
  if (!(err instanceof Error)) return undefined;
  const { status, data, statusText } = err as Error & { status?: unknown; data?: unknown; statusText?: unknown };
  if (typeof status !== 'number') return undefined;
  const fallback = typeof statusText === 'string' && statusText !== '' ? statusText : `HTTP ${status}`;
  return { status, message: qdrantMessage(data) ?? fallback };
}

export function isTransient(err: unknown): boolean {
  if (err instanceof QdrantClientTimeoutError || err instanceof QdrantClientResourceExhaustedError) return true;
  const refusal = httpRefusal(err);
  if (refusal) return TRANSIENT_STATUSES.has(refusal.status);
  return isConnectionFailure(err);
}

/** The HTTP status an EmbedlineError made by storeError carries, for callers that expect one (409). */
export function refusalStatus(err: unknown): number | undefined {
  return isEmbedlineError(err) && typeof err.details?.status === 'number' ? err.details.status : undefined;
}

export function storeError(err: unknown, context: RequestContext): EmbedlineError {
  if (isEmbedlineError(err)) return err;
  const { action, collection, url, attempts } = context;
  const about = collection === undefined ? '' : ` (collection "${collection}")`;
  const refusal = httpRefusal(err);
  if (isTransient(err)) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    const reason = refusal ? `${refusal.status} ${refusal.message}` : describe(err);
    return new EmbedlineError('STORE_UNAVAILABLE', `Qdrant at ${url} is unavailable: could not ${action}${about} after ${tries}: ${reason}`, {
      retryable: true,
      details: { collection, status: refusal?.status },
      cause: err,
    });
  }
  if (!refusal) {
    return new EmbedlineError('STORE_REJECTED', `Qdrant at ${url}: could not ${action}${about}: ${describe(err)}`, { details: { collection }, cause: err });
  }
  const details = { collection, status: refusal.status };
  if (refusal.status === 404 && /doesn't exist|not found/i.test(refusal.message) && collection !== undefined) {
    return new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist`, { details, cause: err });
  }
  if (refusal.status === 400 && /vector dimension error/i.test(refusal.message)) {
    return new EmbedlineError('COLLECTION_MISMATCH', `${refusal.message}${about}`, { details, cause: err });
  }
  return new EmbedlineError('STORE_REJECTED', `Qdrant at ${url} refused to ${action}${about}: ${refusal.status} ${refusal.message}${hint(refusal.status)}`, {
    details,
    cause: err,
  });
}

function hint(status: number): string {
  if (status === 401) return ' (check QDRANT_API_KEY: it must be the server\'s api key)';
  if (status === 403) return ' (the API key is not allowed this operation: a read-only key cannot write)';
  return '';
}

function qdrantMessage(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim() || undefined;
  const error = (data as { status?: { error?: unknown } } | null | undefined)?.status?.error;
  return typeof error === 'string' ? error : undefined;
}

/** A connection refused, reset or timed out, anywhere along the `cause` chain (fetch wraps them). */
function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.message === 'fetch failed') return true;
  }
  return false;
}

/** The most specific text along the cause chain: "fetch failed" alone says little. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = e instanceof Error ? e.cause : undefined, depth++) {
    const code = (e as { code?: unknown }).code;
    const text = e instanceof Error ? e.message : String(e);
    parts.push(typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text);
  }
  return parts.filter((p) => p !== '').join(': ');
}
