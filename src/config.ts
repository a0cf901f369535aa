// Every environment variable embedline reads, declared once here: its type, range, default and
// meaning. Commands load it once at start (a bad value stops them with one line naming the
// variable) and pass typed options down; nothing else in src reads process.env. `embedline status`
// prints every variable of this declaration, and test/config.test.ts checks docs/configuration.md's
// configuration table against it. Flags override these per command.
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { z } from 'zod';
import { EmbedlineError } from './errors.ts';

/** A whole number in [min, max], from the text of a variable; the message names the range. */
function wholeNumber(min: number, max?: number) {
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  const error = `must be a whole number ${range}`;
  const number = z.coerce.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? number : number.max(max, { error });
}

/** EMBEDLINE_LOG_LEVEL's values, least severe first (src/log.ts writes the lines). */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** On/off switches: 1 or true, 0 or false; anything else is a typo worth hearing about. */
const onOff = z.enum(['1', '0', 'true', 'false'], { error: 'must be 1, 0, true or false' }).transform((value) => value === '1' || value === 'true');

/** huggingface_hub's reading of its switches (1, ON, YES, TRUE in any case; anything else is off), so one environment serves both. */
const hubSwitch = z.string().transform((value) => ['1', 'ON', 'YES', 'TRUE'].includes(value.toUpperCase()));

const url = z.url({ error: 'must be a URL' });
const text = z.string().min(1);

const schema = z.object({
  // --- where things are ---
  /**
   * Redis for the queue: redis:// or rediss:// (a password may ride in the URL); a Redis Cluster as
   * redis+cluster://host:port,host:port (or a comma list of redis:// URLs); a Sentinel-watched master as
   * redis+sentinel://host:port,host:port/mastername[/db][?sentinelPassword=…] (docs/several-machines.md).
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?(\+(cluster|sentinel))?:\/\/[^,]+(,(rediss?:\/\/)?[^,]+)*$/, { error: 'must be redis://, rediss://, redis+cluster:// or redis+sentinel:// and host:port (several for a Cluster or Sentinel)' })
    .default('redis://127.0.0.1:6379'),
  /** Qdrant base URL; when set, Qdrant is the store instead of the embedded LanceDB one. */
  QDRANT_URL: url.optional(),
  /** Qdrant API key, sent with every Qdrant request. */
  QDRANT_API_KEY: text.optional(),
  /** Qdrant cluster: shards of each collection created (shard_number); unset: Qdrant's default (1). */
  EMBEDLINE_QDRANT_SHARDS: wholeNumber(1, 1024).optional(),
  /** Qdrant cluster: copies of each shard (replication_factor); unset: Qdrant's default (1). */
  EMBEDLINE_QDRANT_REPLICATION_FACTOR: wholeNumber(1, 64).optional(),
  /** Qdrant cluster: copies that must confirm a write before it is answered (write_consistency_factor), at most the replication factor; unset: 1. */
  EMBEDLINE_QDRANT_WRITE_CONSISTENCY: wholeNumber(1, 64).optional(),
  /** The embedded store's folder, and where rejects files go by default. */
  EMBEDLINE_DATA: text.default('./embedline-data'),
  /** The model: a folder or a Hugging Face Hub id `org/name[@revision]`; unset: sentence-transformers/all-MiniLM-L6-v2 (src/hub/model-name.ts). */
  EMBEDLINE_MODEL: text.optional(),
  /**
   * Local models folders, looked in (in order) before the Hugging Face cache for a Hub id, as
   * `<dir>/<name>` or `<dir>/<org>/<name>`: the offline / air-gapped copy. Several are separated by
   * the platform's path delimiter (`:`). Unset: ./models and ../shared/models, from the working folder.
   */
  EMBEDLINE_MODELS_DIR: text.optional(),

  // --- the Hugging Face Hub (the names huggingface_hub and transformers.js use) ---
  /** The Hub (or a mirror of it) models are fetched from; unset: https://huggingface.co. */
  HF_ENDPOINT: url.default('https://huggingface.co'),
  /** Access token for gated or private repositories, sent to HF_ENDPOINT only. */
  HF_TOKEN: text.optional(),
  /** 1 (or on, yes, true, as huggingface_hub reads it): never reach the Hub; a Hub id must already be in a local models folder or the cache. */
  HF_HUB_OFFLINE: hubSwitch.default(false),
  /** The Hugging Face cache folder; unset: $HF_HOME/hub. */
  HF_HUB_CACHE: text.optional(),
  /** Hugging Face's home folder; unset: ~/.cache/huggingface (XDG_CACHE_HOME/huggingface when that is set). */
  HF_HOME: text.optional(),
  /** Bearer key the HTTP API requires; unset: no key. */
  EMBEDLINE_API_KEY: text.optional(),
  /** Redis key prefix for the queues: lets tests (and several deployments) share one Redis. */
  EMBEDLINE_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: 'may hold only letters, digits, _ . and -' }).default('embedline'),
  /**
   * Which store queued jobs are for; producers stamp it on every job and workers refuse jobs of
   * another store. Default: the Qdrant URL's origin, else this host's name and the data folder.
   * Set the same value everywhere when producers and workers reach one store by different addresses.
   */
  EMBEDLINE_STORE_ID: text.optional(),
  /** How long a command waits for Redis to answer before it stops with one line naming REDIS_URL. */
  EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS: wholeNumber(100, 120_000).default(3000),
  /**
   * How long an ingest rides out a Redis that stopped answering mid-run (a restart, a failover)
   * before it stops with one line; what the store holds stays, and a re-run queues only the rest.
   */
  EMBEDLINE_REDIS_OUTAGE_MS: wholeNumber(1000).default(300_000),

  // --- inference (src/embed takes these as options) ---
  /**
   * onnxruntime threads the whole process may use for inference, in every command (`serve`
   * included: its query runs share them). Unset: all cores. At most 1024: a million threads is a
   * typo, and onnxruntime would try to start them.
   */
  EMBEDLINE_THREADS: wholeNumber(1, 1024).optional(),
  /** onnxruntime sessions the threads are split over; unset: one per thread, at most 4. */
  EMBEDLINE_SESSIONS: wholeNumber(1).optional(),
  /** Execution device, onnxruntime's provider: cpu (default) or cuda (Linux x64 with its provider files, docs/gpu.md). */
  EMBEDLINE_DEVICE: z.enum(['cpu', 'cuda'], { error: 'must be cpu or cuda' }).optional(),
  /** Rows × padded length per ONNX run; unset: 512 (DEFAULT_MAX_BATCH_TOKENS in src/embed/embedder.ts). */
  EMBEDLINE_MAX_BATCH_TOKENS: wholeNumber(1).optional(),

  // --- the worker ---
  /** `embedline worker`: how long a job's lock lasts unrenewed (a dead worker's jobs return after it); unset: 60000. */
  EMBEDLINE_LOCK_DURATION_MS: wholeNumber(1).optional(),
  /** `embedline worker`: how often stalled jobs are looked for; unset: 30000. */
  EMBEDLINE_STALLED_INTERVAL_MS: wholeNumber(1).optional(),
  /** `embedline worker`: a file whose mtime is renewed every 5 s while the worker runs (health checks). */
  EMBEDLINE_WORKER_HEARTBEAT_FILE: text.optional(),

  // --- the search server ---
  /** `embedline serve`: requests per minute per client; no limit unless set. */
  EMBEDLINE_RATE_LIMIT: wholeNumber(1).optional(),
  /** `embedline serve`: allowed CORS origins, comma-separated, or `*`; no CORS headers unless set. */
  EMBEDLINE_CORS_ORIGIN: text.optional(),
  /** `embedline serve`: how long a query waits for company in one ONNX batch; 0 turns batching off. */
  EMBEDLINE_QUERY_BATCH_WINDOW_MS: wholeNumber(0, 1000).default(2),
  /** `embedline serve`: cached query results (0 turns the cache off). */
  EMBEDLINE_QUERY_CACHE_SIZE: wholeNumber(0).default(1000),
  /** `embedline serve`: a request must arrive, and be answered, within this; half-open requests are closed. */
  EMBEDLINE_HTTP_TIMEOUT_MS: wholeNumber(1000, 600_000).default(30_000),
  /** `embedline serve`: searches and embedding requests waiting beyond those running; past it one is refused with 503 + Retry-After. */
  EMBEDLINE_MAX_QUEUED_REQUESTS: wholeNumber(0).default(256),
  /**
   * `embedline serve`: tokens one embedding request (/v1/embeddings, /embed) may hold in all; past it
   * the request is refused (400) before any inference, so one client cannot hold the server for a minute.
   */
  EMBEDLINE_MAX_REQUEST_TOKENS: wholeNumber(1).default(32_768),

  // --- operations (the names OpenTelemetry's own SDKs read) ---
  /**
   * OTLP/HTTP collector base URL (traces go to <URL>/v1/traces as OTLP JSON); when set, ingest,
   * worker, search and serve export one span per run, job and search. Unset: no tracing, and the
   * OpenTelemetry SDK is never loaded.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
  /** The service.name spans carry; unset: embedline. */
  OTEL_SERVICE_NAME: text.default('embedline'),

  // --- output ---
  /** The least severe log lines written (JSON lines on stderr): debug, info, warn, error, or silent for none. */
  EMBEDLINE_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** 1: leave out info-level log lines (warnings and errors still show). */
  EMBEDLINE_QUIET: onOff.default(false),
  /** 1: errors show their stack trace, as `--verbose` does. */
  EMBEDLINE_VERBOSE: onOff.default(false),

  // --- the embedded store ---
  /** Embedded store: rows from which `optimize` builds the HNSW vector index; unset: 50000. */
  EMBEDLINE_INDEX_MIN_ROWS: wholeNumber(1).optional(),

  // --- model export (`embedline model export` runs PyTorch in a Python virtual environment) ---
  /** The virtual environment model export builds on first use and reuses; unset: ~/.cache/embedline/export-venv (under XDG_CACHE_HOME when that is set). */
  EMBEDLINE_EXPORT_VENV: text.optional(),
  /** The Python 3 (with its venv module) that builds that environment; unset: python3 on PATH. */
  EMBEDLINE_PYTHON: text.default('python3'),
});

export type EnvironmentVariable = keyof typeof schema.shape;

/** Every declared variable, in declaration order. */
export const ENVIRONMENT_VARIABLES = Object.keys(schema.shape) as EnvironmentVariable[];

/** Variables whose value is a credential: shown only as set or unset. */
export function isSecretVariable(name: string): boolean {
  return /(KEY|PASSWORD|SECRET|TOKEN)$/.test(name);
}

export interface Config {
  redisUrl: string;
  qdrantUrl?: string;
  qdrantApiKey?: string;
  /** EMBEDLINE_QDRANT_SHARDS, …_REPLICATION_FACTOR, …_WRITE_CONSISTENCY: how new Qdrant collections are spread (unset parts: Qdrant's defaults). */
  qdrantPlacement: { shards?: number; replicationFactor?: number; writeConsistency?: number };
  dataDir: string;
  /** EMBEDLINE_MODEL as given: a folder or a Hub id (undefined: the default model). */
  modelDir?: string;
  /** Where models named by Hub id come from: local folders, the cache, the Hub. */
  hub: HubConfig;
  apiKey?: string;
  queuePrefix: string;
  /**
   * EMBEDLINE_STORE_ID as set; unset, the store's own identity names it (store/backends.ts derives
   * it, and core/runtime.ts's config carries the id in force).
   */
  storeId?: string;
  redisConnectTimeoutMs: number;
  /** EMBEDLINE_REDIS_OUTAGE_MS: the Redis outage an ingest waits out. */
  redisOutageMs: number;
  workerHeartbeatFile?: string;
  server: ServerConfig;
  inference: InferenceConfig;
  worker: WorkerConfig;
  /** Embedded store: EMBEDLINE_INDEX_MIN_ROWS. */
  indexMinRows?: number;
  /** `embedline model export`: EMBEDLINE_EXPORT_VENV and EMBEDLINE_PYTHON. */
  exportPython: ExportPythonConfig;
  /** OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME; undefined: tracing off. */
  tracing?: TracingConfig;
  /** EMBEDLINE_LOG_LEVEL. */
  logLevel: LogLevelSetting;
  quiet: boolean;
  verbose: boolean;
  /**
   * npm started this process (npm sets npm_command for everything it runs). npm's variable, not a
   * setting of ours, so it is not declared above; src/cli/stop-signal.ts explains why it matters.
   */
  launchedByNpm: boolean;
  /** Every declared variable's value after defaults (undefined: unset, no default). */
  variables: Readonly<Record<EnvironmentVariable, string | number | boolean | undefined>>;
}

export interface ServerConfig {
  rateLimitPerMinute?: number;
  /** `true` allows any origin. */
  corsOrigins?: string[] | true;
  queryBatchWindowMs: number;
  queryCacheSize: number;
  httpTimeoutMs: number;
  maxQueuedRequests: number;
  /** Tokens one embedding request may hold. */
  maxRequestTokens: number;
}

/** What src/embed's loadEmbedder takes; unset means the embedder's own default. */
export interface InferenceConfig {
  /** Threads in all for this process's inference. */
  threads?: number;
  sessions?: number;
  maxBatchTokens?: number;
  device?: 'cpu' | 'cuda';
}

export interface HubConfig {
  /** Local models folders, absolute, in lookup order. */
  modelsDirs: string[];
  /** The Hugging Face cache folder, absolute. */
  cacheDir: string;
  endpoint: string;
  token?: string;
  offline: boolean;
}

export interface ExportPythonConfig {
  /** The virtual environment's folder, absolute. */
  venvDir: string;
  /** The interpreter that creates it (a name looked up on PATH, or a path). */
  python: string;
}

export interface TracingConfig {
  /** Where spans go: the collector's OTLP/HTTP traces URL (<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces). */
  tracesUrl: string;
  serviceName: string;
}

export interface WorkerConfig {
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset (docker-compose often passes VAR= for optional settings).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue, present));
    throw new EmbedlineError('CONFIG_INVALID', `invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  checkWriteConsistency(e.EMBEDLINE_QDRANT_WRITE_CONSISTENCY, e.EMBEDLINE_QDRANT_REPLICATION_FACTOR);
  return {
    redisUrl: e.REDIS_URL,
    qdrantUrl: e.QDRANT_URL,
    qdrantApiKey: e.QDRANT_API_KEY,
    qdrantPlacement: { shards: e.EMBEDLINE_QDRANT_SHARDS, replicationFactor: e.EMBEDLINE_QDRANT_REPLICATION_FACTOR, writeConsistency: e.EMBEDLINE_QDRANT_WRITE_CONSISTENCY },
    dataDir: resolve(e.EMBEDLINE_DATA),
    modelDir: e.EMBEDLINE_MODEL,
    hub: {
      modelsDirs: (e.EMBEDLINE_MODELS_DIR?.split(delimiter) ?? ['models', join('..', 'shared', 'models')]).filter((dir) => dir !== '').map((dir) => resolve(dir)),
      cacheDir: resolve(e.HF_HUB_CACHE ?? join(e.HF_HOME ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface'), 'hub')),
      endpoint: e.HF_ENDPOINT.replace(/\/+$/, ''),
      token: e.HF_TOKEN,
      offline: e.HF_HUB_OFFLINE,
    },
    apiKey: e.EMBEDLINE_API_KEY,
    queuePrefix: e.EMBEDLINE_QUEUE_PREFIX,
    storeId: e.EMBEDLINE_STORE_ID,
    redisConnectTimeoutMs: e.EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS,
    redisOutageMs: e.EMBEDLINE_REDIS_OUTAGE_MS,
    workerHeartbeatFile: e.EMBEDLINE_WORKER_HEARTBEAT_FILE,
    server: {
      rateLimitPerMinute: e.EMBEDLINE_RATE_LIMIT,
      corsOrigins: corsOrigins(e.EMBEDLINE_CORS_ORIGIN),
      queryBatchWindowMs: e.EMBEDLINE_QUERY_BATCH_WINDOW_MS,
      queryCacheSize: e.EMBEDLINE_QUERY_CACHE_SIZE,
      httpTimeoutMs: e.EMBEDLINE_HTTP_TIMEOUT_MS,
      maxQueuedRequests: e.EMBEDLINE_MAX_QUEUED_REQUESTS,
      maxRequestTokens: e.EMBEDLINE_MAX_REQUEST_TOKENS,
    },
    inference: { threads: e.EMBEDLINE_THREADS, sessions: e.EMBEDLINE_SESSIONS, maxBatchTokens: e.EMBEDLINE_MAX_BATCH_TOKENS, device: e.EMBEDLINE_DEVICE },
    worker: { lockDurationMs: e.EMBEDLINE_LOCK_DURATION_MS, stalledIntervalMs: e.EMBEDLINE_STALLED_INTERVAL_MS },
    indexMinRows: e.EMBEDLINE_INDEX_MIN_ROWS,
    exportPython: {
      venvDir: resolve(e.EMBEDLINE_EXPORT_VENV ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'embedline', 'export-venv')),
      python: e.EMBEDLINE_PYTHON,
    },
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT ? { tracesUrl: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`, serviceName: e.OTEL_SERVICE_NAME } : undefined,
    logLevel: e.EMBEDLINE_LOG_LEVEL,
    quiet: e.EMBEDLINE_QUIET,
    verbose: e.EMBEDLINE_VERBOSE,
    launchedByNpm: (env.npm_command ?? '') !== '',
    variables: Object.fromEntries(ENVIRONMENT_VARIABLES.map((name) => [name, e[name]])) as Config['variables'],
  };
}

/** `EMBEDLINE_THREADS="two" must be a whole number 1 or more`; a secret's value is not repeated. */
function describeIssue(issue: z.core.$ZodIssue, present: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '');
  const value = present[name];
  if (value === undefined) return `${name} ${issue.message}`;
  return `${name}=${isSecretVariable(name) ? '***' : JSON.stringify(value)} ${issue.message}`;
}

/** More confirmations than copies could never be had: every write would fail. */
function checkWriteConsistency(writeConsistency: number | undefined, replicationFactor: number | undefined): void {
  if (writeConsistency === undefined || writeConsistency <= (replicationFactor ?? 1)) return;
  throw new EmbedlineError(
    'CONFIG_INVALID',
    `invalid environment: EMBEDLINE_QDRANT_WRITE_CONSISTENCY="${writeConsistency}" must be at most EMBEDLINE_QDRANT_REPLICATION_FACTOR (${replicationFactor ?? 'unset: 1'}): a write cannot be confirmed by more copies than there are`,
  );
}

function corsOrigins(value: string | undefined): string[] | true | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '*') return true;
  return value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
}
