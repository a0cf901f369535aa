// Redis connection settings for BullMQ, and the one Redis setting that can silently lose jobs.
import { Redis } from 'ioredis';
import { EmbedlineError } from '../errors.ts';

export interface RedisConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  /** BullMQ's blocking commands must wait for reconnects rather than fail after N retries. */
  maxRetriesPerRequest: null;
}

export function redisOptionsFromUrl(url: string): RedisConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmbedlineError('CONFIG_INVALID', `REDIS_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new EmbedlineError('CONFIG_INVALID', `REDIS_URL must start with redis:// or rediss://, got ${url}`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * Any eviction policy but noeviction lets Redis drop queue keys under memory pressure, which loses
 * jobs without an error. Returns a warning to print, or undefined when the policy is safe.
 */
export async function evictionPolicyWarning(options: RedisConnectionOptions): Promise<string | undefined> {
  const client = new Redis({ ...options, maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 3000 });
  try {
    await client.connect();
    const reply = (await client.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    return policy && policy !== 'noeviction'
      ? `Redis maxmemory-policy is "${policy}"; set it to "noeviction" or queued jobs can be evicted silently`
      : undefined;
  } catch (err) {
    // CONFIG may be disabled on managed Redis; that is not a reason to stop.
    const message = (err as Error).message;
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|connect/i.test(message)) {
      throw new EmbedlineError('QUEUE_UNAVAILABLE', `cannot reach Redis at ${options.host}:${options.port}: ${message}`, { retryable: true, cause: err });
    }
    return undefined;
  } finally {
    client.disconnect();
  }
}
