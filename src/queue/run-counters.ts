// Two counters the embedding queue keeps in Redis beside BullMQ's own keys (same prefix):
//   write-version    the last run number handed out (store/write-version.ts). A run takes the next
//                    one, atomically, so two runs at once never share one; since a Redis that
//                    restarts empty forgets it, a run first raises it to the newest version the
//                    store holds (the floor), so numbers keep growing across such a restart.
//   superseded-jobs  jobs workers completed as superseded (their documents had moved on to a newer
//                    version: nothing written), for `embedline status`. Completed jobs themselves are
//                    trimmed from Redis, so their outcome is counted when it happens.
import { EMBED_QUEUE } from './embed-job.ts';
import { openRedis, queueKeyPrefix, type RedisClient } from './redis-client.ts';
import { redisAddress, type RedisConnectionOptions } from './redis-url.ts';
import { redisErrorLog } from './redis-error-log.ts';

// KEYS[1] the counter; ARGV[1] the floor. Raise to the floor, then take the next number.
const NEXT_WRITE_VERSION_SCRIPT = `
local floor = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current < floor then redis.call('SET', KEYS[1], floor) end
return redis.call('INCR', KEYS[1])
`;

/** The counters of one Redis and queue prefix; one connection, opened on first use. */
export class RunCounters {
  private client: RedisClient | undefined;

  constructor(
    private readonly connection: RedisConnectionOptions,
    private readonly prefix: string,
  ) {}

  /** The next run number: above every number handed out before and above `floor`. */
  async nextWriteVersion(floor: number): Promise<number> {
    return Number(await this.redis().eval(NEXT_WRITE_VERSION_SCRIPT, 1, this.key('write-version'), String(floor)));
  }

  async countSupersededJob(): Promise<void> {
    await this.redis().incr(this.key('superseded-jobs'));
  }

  async supersededJobs(): Promise<number> {
    return Number((await this.redis().get(this.key('superseded-jobs'))) ?? 0);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    // Not a polite QUIT: with Redis gone (or no longer answering) it would wait for a reply forever.
    client.disconnect();
  }

  private key(name: string): string {
    return `${queueKeyPrefix(this.connection, this.prefix)}:${EMBED_QUEUE}:${name}`;
  }

  private redis(): RedisClient {
    // A command fails after one reconnect attempt instead of waiting for Redis without limit (a Redis
    // that accepts but never answers is the callers' to bound, as for the queue's own commands).
    if (!this.client) {
      this.client = openRedis(this.connection, { maxRetriesPerRequest: 1 });
      this.client.on('error', redisErrorLog('redis.error', redisAddress(this.connection)));
    }
    return this.client;
  }
}
