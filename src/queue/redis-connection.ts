// Redis connection settings for BullMQ, a bounded "can we reach Redis at all" check that every
// command needing Redis runs first (one line naming the URL instead of endless reconnect traces),
// and the one Redis setting that can silently lose jobs.
import { Redis } from 'ioredis';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';

/** How long a command waits for Redis to answer before it gives up (EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS). */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 3000;

export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  /** ioredis: how long one connection attempt may take. */
  connectTimeout: number;
  /** BullMQ's blocking commands must wait for reconnects rather than fail after N retries. */
  maxRetriesPerRequest: null;
}

export function redisOptionsFromUrl(url: string, connectTimeoutMs = DEFAULT_REDIS_CONNECT_TIMEOUT_MS): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmbedlineError('CONFIG_INVALID', `REDIS_URL is not a URL: ${redactRedisUrl(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new EmbedlineError('CONFIG_INVALID', `REDIS_URL must start with redis:// or rediss://, got ${redactRedisUrl(url)}`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: null,
  };
}

/** A Redis URL fit for messages and `status`: the password (if any) replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, (_, auth: string) => `//${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`);
}

/** Where the options point, as a URL without credentials (for one-line errors). */
export function redisAddress(options: RedisConnectionOptions): string {
  const db = options.db ? `/${options.db}` : '';
  return `${options.tls ? 'rediss' : 'redis'}://${options.host}:${options.port}${db}`;
}

/**
 * Opens one connection with a single attempt and runs `fn` on it, all within the connect timeout
 * (a host that swallows packets or a Redis that never answers counts as unreachable). Throws a
 * retryable QUEUE_UNAVAILABLE that names the address and the fix; never prints reconnect traces.
 */
async function withOneShotClient<T>(options: RedisConnectionOptions, fn: (client: Redis) => Promise<T>): Promise<T> {
  const timeoutMs = options.connectTimeout;
  const client = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  // The listener keeps ioredis from printing a trace; its error says why (connect() only says "closed").
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause ??= err));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        await client.connect();
        return fn(client);
      })(),
      deadline,
    ]);
  } catch (err) {
    if (isEmbedlineError(err)) throw err;
    throw new EmbedlineError(
      'QUEUE_UNAVAILABLE',
      `cannot reach Redis at ${redisAddress(options)} (${(cause ?? (err as Error)).message}): start Redis there or set REDIS_URL to one that runs (EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS sets the wait)`,
      { retryable: true, cause: cause ?? err },
    );
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** Resolves once Redis answers a PING; throws the one-line QUEUE_UNAVAILABLE error otherwise. */
export async function assertRedisReachable(options: RedisConnectionOptions): Promise<void> {
  await withOneShotClient(options, (client) => client.ping());
}

/** How often a command waiting on Redis checks that Redis still answers. */
const WATCH_INTERVAL_MS = 1000;

/**
 * Settles as `work` does, unless Redis stops answering first (for longer than `toleratedOutageMs`):
 * then rejects with the one-line QUEUE_UNAVAILABLE error. BullMQ's own connections wait for Redis
 * without limit (they must, for blocking commands), so a command that needs an answer to end
 * watches Redis alongside. `work` itself is left running: its BullMQ clients keep reconnecting, so
 * a command stopped this way exits the process (cli/run-command.ts).
 */
export function whileRedisAnswers<T>(work: Promise<T>, options: RedisConnectionOptions, toleratedOutageMs = 0): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) fn();
      settled = true;
    };
    work.then(
      (value) => settle(() => resolve(value)),
      (err: unknown) => settle(() => reject(err)),
    );
    void (async () => {
      let outageSince: number | undefined;
      while (!settled) {
        try {
          await assertRedisReachable(options);
          outageSince = undefined;
        } catch (err) {
          outageSince ??= Date.now();
          if (Date.now() - outageSince >= toleratedOutageMs) {
            settle(() => reject(toleratedOutageMs > 0 ? outageError(err, options, toleratedOutageMs) : err));
            return;
          }
        }
        // Unref'd: once the work is done this pause must not keep the process alive.
        await new Promise((wake) => setTimeout(wake, WATCH_INTERVAL_MS).unref());
      }
    })();
  });
}

function outageError(cause: unknown, options: RedisConnectionOptions, outageMs: number): EmbedlineError {
  return new EmbedlineError(
    'QUEUE_UNAVAILABLE',
    `Redis at ${redisAddress(options)} has not answered for ${Math.round(outageMs / 1000)} s, so the run stopped; what the store holds stays: run the same command again once Redis is back (EMBEDLINE_REDIS_OUTAGE_MS sets the wait)`,
    { retryable: true, cause },
  );
}

/**
 * Checks that Redis is reachable (throwing the one-line error when not), then whether its eviction
 * policy is safe: any policy but noeviction lets Redis drop queue keys under memory pressure, which
 * loses jobs without an error. Returns a warning to print, or undefined when the policy is safe.
 */
export async function evictionPolicyWarning(options: RedisConnectionOptions): Promise<string | undefined> {
  return withOneShotClient(options, async (client) => {
    let policy: string | undefined;
    try {
      policy = ((await client.config('GET', 'maxmemory-policy')) as string[])[1];
    } catch {
      // CONFIG may be disabled on managed Redis; that is not a reason to stop, but Redis must answer.
      await client.ping();
      return undefined;
    }
    return policy && policy !== 'noeviction'
      ? `Redis maxmemory-policy is "${policy}"; set it to "noeviction" or queued jobs can be evicted silently`
      : undefined;
  });
}
