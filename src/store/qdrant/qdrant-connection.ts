// One Qdrant server as the adapter talks to it: the official REST client at its generated-API level
// (which sends every body field, `metadata` included), a timeout on each request, retries with
// backoff for failures that may pass, every final failure turned into an EmbedlineError, and the
// server's version checked once before the first request (see server-version.ts).
import { QdrantClient } from '@qdrant/js-client-rest';
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';
import { retryWithBackoff, type BackoffPolicy } from '../retry-with-backoff.ts';
import { isTransient, storeError } from './qdrant-errors.ts';
import { checkServerVersion } from './server-version.ts';

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

/** Where the client must send requests for a QDRANT_URL, and how messages show it. */
export interface QdrantAddress {
  origin: string;
  /** Always explicit: without a port in the URL the client would fall back to 6333. */
  port: number;
  /** The URL's path, for a Qdrant behind a reverse proxy at /qdrant (the client ignores a path in `url`). */
  prefix?: string;
  /** The URL without credentials or trailing slash. */
  shown: string;
}

export function qdrantAddress(url: string): QdrantAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmbedlineError('CONFIG_INVALID', `QDRANT_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new EmbedlineError('CONFIG_INVALID', `QDRANT_URL must start with http:// or https://, got ${parsed.protocol}//${parsed.host}`);
  }
  const prefix = parsed.pathname.replace(/\/+$/, '');
  // No port in the URL means the scheme's own: https://example.com/qdrant is a reverse proxy on 443.
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  return { origin: parsed.origin, port, prefix: prefix === '' ? undefined : prefix, shown: `${parsed.origin}${prefix}` };
}

export class QdrantConnection {
  /** The server's address without credentials, for messages. */
  readonly url: string;
  private readonly api: QdrantApi;
  private readonly timeoutMs: number;
  private readonly retry: BackoffPolicy;
  /** The version check, made once; forgotten when it could not reach the server, so it is made again. */
  private versionChecked?: Promise<void>;

  constructor(options: ConnectionOptions) {
    const address = qdrantAddress(options.url);
    this.url = address.shown;
    const client = new QdrantClient({
      url: address.origin,
      port: address.port,
      prefix: address.prefix,
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
    await this.checkVersion();
    return this.send(options, async (api, init) => {
      const { result } = (await send(api, init)).data;
      if (result === undefined) throw new Error('the answer has no `result`');
      return result;
    });
  }

  /** The server's version, as GET / reports it (Qdrant's VersionInfo). */
  async serverVersion(): Promise<string> {
    const info = await this.send({ action: 'read the server version' }, async (api, init) => (await api.root({}, init)).data);
    return info.version;
  }

  private checkVersion(): Promise<void> {
    this.versionChecked ??= this.serverVersion()
      .then((version) => checkServerVersion(version, this.url))
      .catch((err: unknown) => {
        // An unreachable server may come back; a server that answered with its version stays what it is.
        if (isEmbedlineError(err) && err.retryable) this.versionChecked = undefined;
        throw err;
      });
    return this.versionChecked;
  }

  private async send<R>(options: RequestOptions, send: (api: QdrantApi, init: RequestInit) => Promise<R>): Promise<R> {
    let attempts = 0;
    try {
      return await retryWithBackoff(
        () => {
          attempts++;
          return send(this.api, { signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs) });
        },
        this.retry,
        isTransient,
      );
    } catch (err) {
      throw storeError(err, { action: options.action, collection: options.collection, url: this.url, attempts });
    }
  }
}
