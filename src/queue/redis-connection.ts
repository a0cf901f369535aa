// Redis connection settings for BullMQ, a bounded "can we reach Redis at all" check that every
// command needing Redis runs first (one line naming the URL instead of endless reconnect traces),
// and the one Redis setting that can silently lose jobs.
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { openRedis, type RedisClient } from './redis-client.ts';
import { redisAddress, type RedisConnectionOptions } from './redis-url.ts';

// Parsing lives in redis-url.ts; these names are re-exported for the many callers that import them here.
export { DEFAULT_REDIS_CONNECT_TIMEOUT_MS, redactRedisUrl, redisAddress, redisOptionsFromUrl, type RedisConnectionOptions } from './redis-url.ts';

/**
 * Opens one connection with a single attempt and runs `fn` on it, all within the connect timeout
 * (a host that swallows packets or a Redis that never answers counts as unreachable). Throws a
 * retryable QUEUE_UNAVAILABLE that names the address and the fix; never prints reconnect traces.
 */
async function withOneShotClient<T>(options: RedisConnectionOptions, fn: (client: RedisClient) => Promise<T>): Promise<T> {
  const timeoutMs = options.connectTimeout;
  const client = openRedis(options, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
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
