// Environment configuration, parsed and validated in one place. Flags override these per command.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EmbedlineError } from './errors.ts';

const schema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QDRANT_URL: z.string().url().optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  EMBEDLINE_DATA: z.string().min(1).default('./embedline-data'),
  EMBEDLINE_MODEL: z.string().min(1).optional(),
  EMBEDLINE_API_KEY: z.string().min(1).optional(),
  /** Redis key prefix for the queues: lets tests (and several deployments) share one Redis. */
  EMBEDLINE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('embedline'),
  /**
   * Which store queued jobs are for; producers stamp it on every job and workers refuse jobs of
   * another store. Default: the Qdrant URL's origin, else this host's name and the data folder.
   * Set the same value everywhere when producers and workers reach one store by different addresses.
   */
  EMBEDLINE_STORE_ID: z.string().min(1).optional(),
  /** How long a command waits for Redis to answer before it stops with one line naming REDIS_URL. */
  EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(3000),
  /** `embedline serve`: requests per minute per client; no limit unless set. */
  EMBEDLINE_RATE_LIMIT: z.coerce.number().int().positive().optional(),
  /** `embedline serve`: allowed CORS origins, comma-separated, or `*`; no CORS headers unless set. */
  EMBEDLINE_CORS_ORIGIN: z.string().min(1).optional(),
  /** `embedline serve`: how long a query waits for company in one ONNX batch; 0 turns batching off. */
  EMBEDLINE_QUERY_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(2),
  /** `embedline serve`: cached query results (0 turns the cache off). */
  EMBEDLINE_QUERY_CACHE_SIZE: z.coerce.number().int().min(0).default(1000),
  /** `embedline serve`: a request must arrive, and be answered, within this; half-open requests are closed. */
  EMBEDLINE_HTTP_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** `embedline serve`: searches waiting beyond those running; past it a search is refused with 503 + Retry-After. */
  EMBEDLINE_MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).default(256),
  /** `embedline worker`: a file whose mtime is renewed every 5 s while the worker runs (health checks). */
  EMBEDLINE_WORKER_HEARTBEAT_FILE: z.string().min(1).optional(),
});

export interface Config {
  redisUrl: string;
  qdrantUrl?: string;
  qdrantApiKey?: string;
  dataDir: string;
  modelDir?: string;
  apiKey?: string;
  queuePrefix: string;
  /** EMBEDLINE_STORE_ID, or derived from the store settings (see storeIdentity). */
  storeId: string;
  redisConnectTimeoutMs: number;
  workerHeartbeatFile?: string;
  server: ServerConfig;
}

export interface ServerConfig {
  rateLimitPerMinute?: number;
  /** `true` allows any origin. */
  corsOrigins?: string[] | true;
  queryBatchWindowMs: number;
  queryCacheSize: number;
  httpTimeoutMs: number;
  maxQueuedRequests: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset (docker-compose often passes VAR= for optional settings).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new EmbedlineError('CONFIG_INVALID', `invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    qdrantUrl: e.QDRANT_URL,
    qdrantApiKey: e.QDRANT_API_KEY,
    dataDir: resolve(e.EMBEDLINE_DATA),
    modelDir: e.EMBEDLINE_MODEL,
    apiKey: e.EMBEDLINE_API_KEY,
    queuePrefix: e.EMBEDLINE_QUEUE_PREFIX,
    storeId: e.EMBEDLINE_STORE_ID ?? storeIdentity(e.QDRANT_URL, resolve(e.EMBEDLINE_DATA)),
    redisConnectTimeoutMs: e.EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS,
    workerHeartbeatFile: e.EMBEDLINE_WORKER_HEARTBEAT_FILE,
    server: {
      rateLimitPerMinute: e.EMBEDLINE_RATE_LIMIT,
      corsOrigins: corsOrigins(e.EMBEDLINE_CORS_ORIGIN),
      queryBatchWindowMs: e.EMBEDLINE_QUERY_BATCH_WINDOW_MS,
      queryCacheSize: e.EMBEDLINE_QUERY_CACHE_SIZE,
      httpTimeoutMs: e.EMBEDLINE_HTTP_TIMEOUT_MS,
      maxQueuedRequests: e.EMBEDLINE_MAX_QUEUED_REQUESTS,
    },
  };
}

function corsOrigins(value: string | undefined): string[] | true | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '*') return true;
  return value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
}

/**
 * The store a process writes to, as jobs name it: Qdrant by its URL's origin; the embedded store by
 * host and folder (the same path on another host is another disk).
 */
export function storeIdentity(qdrantUrl: string | undefined, dataDir: string): string {
  return qdrantUrl ? `qdrant:${new URL(qdrantUrl).origin}` : `local:${hostname()}:${dataDir}`;
}
