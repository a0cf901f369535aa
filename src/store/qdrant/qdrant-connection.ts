// One Qdrant server as the adapter talks to it: the official REST client at its generated-API level
// (which sends every body field, `metadata` included), a timeout on each request, retries with
// backoff for failures that may pass, and every final failure turned into an EmbedlineError.
import { QdrantClient } from '@qdrant/js-client-rest';
import { EmbedlineError } from '../../errors.ts';
import { retryWithBackoff, type BackoffPolicy } from '../retry-with-backoff.ts';
import { isTransient, storeError } from './qdrant-errors.ts';

export type QdrantApi = ReturnType<QdrantClient['api']>;

export interface ConnectionOptions {
  url: string;
  apiKey?: string;
  /** Per request; a request that takes longer is abandoned and retried like a dropped connection. */
  timeoutMs?: number;
  retry?: Partial<BackoffPolicy>;
}

export interface RequestOptions {
  /** What the request does, for messages: "could not <action>". */
  action: string;
  collection?: string;
  /** Overrides the connection's timeout (a PATCH of optimizer settings waits for optimisation). */
  timeoutMs?: number;
}

/**
 * Under a second of waiting in all (0.2 + 0.4 s ceilings): enough for a dropped connection or a
 * proxy's momentary 502, and every request retried here is idempotent (point ids are derived from
 * content). Longer outages are the queue's business: a worker's job fails as STORE_UNAVAILABLE
 * and BullMQ's backoff (src/queue/embed-job.ts) tries it again, rather than retries stacking.
 */
export const DEFAULT_RETRY: BackoffPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 1_000 };
const DEFAULT_TIMEOUT_MS = 60_000;

export class QdrantConnection {
  /** The server's address without credentials, for messages. */
  readonly url: string;
  private readonly api: QdrantApi;
  private readonly timeoutMs: number;
  private readonly retry: BackoffPolicy;

  constructor(options: ConnectionOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new EmbedlineError('CONFIG_INVALID', `QDRANT_URL is not a URL: ${options.url}`);
    }
    // The client ignores a path in `url`; a Qdrant behind a reverse proxy at /qdrant needs it as prefix.
    const prefix = parsed.pathname.replace(/\/+$/, '');
    this.url = `${parsed.origin}${prefix}`;
    const client = new QdrantClient({
      url: parsed.origin,
      prefix: prefix === '' ? undefined : prefix,
      apiKey: options.apiKey,
      // Timeouts are set per request below (AbortSignal), so one slow admin call can wait longer.
      timeout: Number.POSITIVE_INFINITY,
      // Its check only prints a warning, from the constructor, even when the server is simply down.
      checkCompatibility: false,
    });
    this.api = client.api();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Sends one request (again, on transient failures) and returns its `result`. */
  async result<R>(options: RequestOptions, send: (api: QdrantApi, init: RequestInit) => Promise<{ data: { result?: R } }>): Promise<R> {
    let attempts = 0;
    try {
      const response = await retryWithBackoff(
        () => {
          attempts++;
          return send(this.api, { signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs) });
        },
        this.retry,
        isTransient,
      );
      if (response.data.result === undefined) throw new Error('the answer has no `result`');
      return response.data.result;
    } catch (err) {
      throw storeError(err, { action: options.action, collection: options.collection, url: this.url, attempts });
    }
  }
}
