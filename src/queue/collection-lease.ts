// Who is working on a collection right now, so that runs that must not overlap refuse each other
// with one line instead of silently losing writes. A lease is kept in Redis, keyed by the store's
// identity (EMBEDLINE_STORE_ID) and the collection, so every host that writes to that store sees it;
// every holder renews its hold, so a killed holder's hold lapses by itself within LEASE_TTL_MS.
//
// Three kinds of hold:
//   run        an ingest in progress (it reads the store, deletes surplus chunks, queues jobs);
//              any number at once.
//   write      one worker writing one job's points; any number at once, held for seconds.
//   exclusive  a reindex or migrate, which copies the collection and must see no change while it
//              does. Refused while a run or another exclusive holds the collection; while only
//              writes hold it, the exclusive hold is recorded at once (no new write or run may
//              start) and its holder waits for the writes to end ("draining").
// The expiry clock is Redis's own (TIME inside the script), so hosts with skewed clocks agree.
// A Redis that restarts empty forgets every hold: each holder notices at its next renewal and takes
// its hold again if nothing conflicting took the collection meanwhile, else it reports the hold
// lost (see HeldLease.lost) and its owner refuses to finish as if nothing happened.
import { hostname } from 'node:os';
import { EmbedlineError } from '../errors.ts';
import { openRedis, queueKeyPrefix, type RedisClient } from './redis-client.ts';
import { redisAddress, type RedisConnectionOptions } from './redis-url.ts';
import { redisErrorLog } from './redis-error-log.ts';

export type LeaseKind = 'run' | 'write' | 'exclusive';

/** How long a hold lasts without renewal: a killed holder blocks others at most this long. */
export const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = LEASE_TTL_MS / 3;
const DRAIN_POLL_MS = 100;

export type TakeResult = { state: 'held' } | { state: 'draining'; writes: number } | { state: 'busy'; holder: LeaseKind; about: string };

// KEYS[1] the holders (sorted set: member "kind|id", score = expiry in ms), KEYS[2] what each is.
// ARGV: member, ttl ms, description.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do redis.call('HDEL', KEYS[2], m) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local member = ARGV[1]
local kind = string.match(member, '^[^|]+')
local writes = 0
for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if h ~= member then
    local other = string.match(h, '^[^|]+')
    if other == 'exclusive' or (kind == 'exclusive' and other ~= 'write') then
      return {'busy', other, redis.call('HGET', KEYS[2], h) or ''}
    end
    if other == 'write' then writes = writes + 1 end
  end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), member)
redis.call('HSET', KEYS[2], member, ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
redis.call('PEXPIREAT', KEYS[2], last[2])
if kind == 'exclusive' and writes > 0 then return {'draining', tostring(writes)} end
return {'held'}
`;

// KEYS[1] the holders; ARGV[1] the member. 1 when it holds now.
const HELD_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then return 1 end
return 0
`;

/** The leases of one Redis and queue prefix; one connection, opened on first use. */
export class CollectionLeases {
  private client: RedisClient | undefined;
  private readonly connection: RedisConnectionOptions;
  private readonly prefix: string;

  constructor(connection: RedisConnectionOptions, prefix: string) {
    this.connection = connection;
    this.prefix = queueKeyPrefix(connection, prefix);
  }

  private redis(): RedisClient {
    if (!this.client) {
      // A command fails after one reconnect attempt, or when Redis does not answer within the
      // connect timeout, instead of waiting without limit: the callers decide (a renewal tries
      // again later, a take reports Redis unreachable).
      this.client = openRedis(this.connection, { maxRetriesPerRequest: 1, commandTimeout: this.connection.connectTimeout });
      this.client.on('error', redisErrorLog('redis.error', redisAddress(this.connection)));
    }
    return this.client;
  }

  private keys(storeId: string, collection: string): [string, string] {
    const key = `${this.prefix}:lease:${storeId}:${collection}`;
    return [key, `${key}:about`];
  }

  async take(storeId: string, collection: string, kind: LeaseKind, id: string, about: string): Promise<TakeResult> {
    const reply = (await this.redis().eval(TAKE_SCRIPT, 2, ...this.keys(storeId, collection), `${kind}|${id}`, LEASE_TTL_MS, about)) as string[];
    switch (reply[0]) {
      case 'held':
        return { state: 'held' };
      case 'draining':
        return { state: 'draining', writes: Number(reply[1]) };
      default:
        return { state: 'busy', holder: reply[1] as LeaseKind, about: reply[2] };
    }
  }

  async release(storeId: string, collection: string, kind: LeaseKind, id: string): Promise<void> {
    const [holders, about] = this.keys(storeId, collection);
    const member = `${kind}|${id}`;
    await this.redis().multi().zrem(holders, member).hdel(about, member).exec();
  }

  /** Whether this holder holds the collection now (an ingest run that is alive). */
  async isHeld(storeId: string, collection: string, kind: LeaseKind, id: string): Promise<boolean> {
    return (await this.redis().eval(HELD_SCRIPT, 1, this.keys(storeId, collection)[0], `${kind}|${id}`)) === 1;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // No polite QUIT: with Redis away it would wait for a reconnect that may never come.
    client?.disconnect();
  }
}

/** A run or exclusive hold, renewed until released. */
export class HeldLease {
  /** Why the hold was lost (a conflicting holder took the collection while Redis was away), if it was. */
  lost: string | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly leases: CollectionLeases,
    private readonly storeId: string,
    private readonly collection: string,
    private readonly kind: Exclude<LeaseKind, 'write'>,
    private readonly id: string,
    private readonly about: string,
    /** Set when the hold has its own connection (claimCollection): closed on release. */
    private readonly ownsLeases = false,
  ) {
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const result = await this.leases.take(this.storeId, this.collection, this.kind, this.id, this.about).catch(() => undefined);
    // Redis unreachable (no result): nobody can take the collection meanwhile; the next renewal
    // tries again. Writes in progress under an exclusive hold began while it was lapsed: what it
    // copied may miss them.
    if (result?.state === 'busy') this.lost ??= `${describeHolder(result)} took "${this.collection}" while this hold was lapsed (Redis restarted or was unreachable)`;
    if (result?.state === 'draining') this.lost ??= `a worker wrote to "${this.collection}" while this hold was lapsed (Redis restarted or was unreachable)`;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.leases.release(this.storeId, this.collection, this.kind, this.id).catch(() => undefined);
    if (this.ownsLeases) await this.leases.close();
  }
}

/**
 * Takes a run or exclusive hold on a collection, or throws COLLECTION_BUSY naming who holds it. An
 * exclusive hold waits for the writes in progress to end (each is bounded by LEASE_TTL_MS).
 */
export async function holdCollection(leases: CollectionLeases, storeId: string, collection: string, kind: Exclude<LeaseKind, 'write'>, id: string, about: string, ownsLeases = false): Promise<HeldLease> {
  let result: TakeResult;
  try {
    result = await leases.take(storeId, collection, kind, id, about);
    while (result.state === 'draining') {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      result = await leases.take(storeId, collection, kind, id, about);
    }
  } catch (err) {
    throw new EmbedlineError('QUEUE_UNAVAILABLE', `cannot check who else is working on "${collection}": Redis did not answer (${(err as Error).message})`, { retryable: true, cause: err });
  }
  if (result.state === 'busy') {
    await leases.release(storeId, collection, kind, id).catch(() => undefined);
    throw busyError(collection, result);
  }
  return new HeldLease(leases, storeId, collection, kind, id, about, ownsLeases);
}

/** Where a hold is taken: the Redis and queue prefix the runs share, and the store's identity. */
export interface LeasePlace {
  connection: RedisConnectionOptions;
  prefix: string;
  storeId: string;
}

/** holdCollection on a connection of its own, closed when the hold is released (or refused). */
export async function claimCollection(place: LeasePlace, collection: string, kind: Exclude<LeaseKind, 'write'>, id: string, what: string): Promise<HeldLease> {
  const leases = new CollectionLeases(place.connection, place.prefix);
  try {
    return await holdCollection(leases, place.storeId, collection, kind, id, holderAbout(what), true);
  } catch (err) {
    await leases.close();
    throw err;
  }
}

/** How a holder describes itself in another's refusal: "a reindex (pid 4242 on build-1)". */
export function holderAbout(what: string): string {
  return `${what} (pid ${process.pid} on ${hostname()})`;
}

export function busyError(collection: string, busy: Extract<TakeResult, { state: 'busy' }>): EmbedlineError {
  return new EmbedlineError('COLLECTION_BUSY', `"${collection}" is busy: ${describeHolder(busy)}; run this again once it has finished (a killed holder's claim lapses within ${LEASE_TTL_MS / 1000} s)`, {
    retryable: true,
    details: { collection, holder: busy.holder, about: busy.about },
  });
}

function describeHolder(busy: Extract<TakeResult, { state: 'busy' }>): string {
  return busy.about || `another ${busy.holder === 'run' ? 'ingest' : 'reindex or migrate'}`;
}
