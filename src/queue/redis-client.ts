// Opening Redis for whatever REDIS_URL names: one server, a master found through Sentinel, or a
// Redis Cluster. Every connection embedline makes goes through here (its own clients for leases
// and counters, the one-shot checks, and BullMQ's), so the three kinds behave alike:
//   - Sentinel: ioredis asks the sentinels for the master and asks again on every reconnect; a
//     demoted master answers writes (and BullMQ's blocking pops) with READONLY, on which the client
//     reconnects, so a failover is a reconnect, not a failure. ioredis's failoverDetector is left
//     off: it left a subscriber to the sentinel behind after disconnect() (seen in
//     test/queue/redis-topologies.test.ts), and the READONLY reconnect measured the same result.
//   - Cluster: BullMQ's scripts touch several keys at once, which a Cluster allows only within one
//     hash slot, so every key embedline writes carries the queue prefix as a hash tag
//     (`{embedline}:embed:wait`, as BullMQ's Redis Cluster guide asks): one queue lives on one
//     shard. BullMQ takes a Cluster only as a client instance, so its owner closes it.
import type { ConnectionOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisConnectionOptions } from './redis-url.ts';

export type RedisClient = Redis | Cluster;

/** Per-use settings (timeouts, retries); the address and credentials come from the connection. */
export type RedisClientSettings = Pick<RedisOptions, 'lazyConnect' | 'maxRetriesPerRequest' | 'enableOfflineQueue' | 'retryStrategy' | 'commandTimeout'>;

/** A demoted master (Sentinel failover) answers writes with READONLY: reconnect and resend. */
function reconnectOnReadonly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

/** ioredis options for one server or a Sentinel-found master (what BullMQ also takes as is). */
function serverOptions(connection: Exclude<RedisConnectionOptions, { mode: 'cluster' }>): RedisOptions {
  const { username, password, tls, connectTimeout, maxRetriesPerRequest } = connection;
  const common: RedisOptions = { username, password, tls, connectTimeout, maxRetriesPerRequest, db: connection.db };
  switch (connection.mode) {
    case 'single':
      return { ...common, host: connection.host, port: connection.port };
    case 'sentinel':
      return {
        ...common,
        sentinels: connection.sentinels,
        name: connection.name,
        sentinelPassword: connection.sentinelPassword,
        reconnectOnError: reconnectOnReadonly,
      };
  }
}

/** A new client of its own; the caller disconnects it. */
export function openRedis(connection: RedisConnectionOptions, settings: RedisClientSettings = {}): RedisClient {
  if (connection.mode !== 'cluster') return new Redis({ ...serverOptions(connection), ...settings });
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...perNode } = settings;
  const { username, password, tls, connectTimeout, maxRetriesPerRequest } = connection;
  return new Cluster(connection.nodes, {
    lazyConnect,
    enableOfflineQueue,
    ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    redisOptions: { username, password, tls, connectTimeout, maxRetriesPerRequest, ...perNode },
  });
}

/** What a BullMQ Queue, Worker or QueueEvents is given, and what its owner releases after closing it. */
export interface BullmqConnection {
  connection: ConnectionOptions;
  /** Drops the Cluster client BullMQ was lent (BullMQ does not close a client it was given). */
  release(): void;
}

export function bullmqConnection(connection: RedisConnectionOptions): BullmqConnection {
  // ioredis's option type and BullMQ's own copy of it differ in declaration only (BullMQ hands the object to ioredis).
  if (connection.mode !== 'cluster') return { connection: serverOptions(connection) as ConnectionOptions, release: () => undefined };
  const client = openRedis(connection, { maxRetriesPerRequest: null });
  return { connection: client, release: () => client.disconnect() };
}

/**
 * The key prefix on this Redis: on a Cluster the queue prefix becomes a hash tag (`{embedline}`)
 * unless it already holds one, so BullMQ's multi-key scripts and the lease scripts stay in one slot.
 */
export function queueKeyPrefix(connection: RedisConnectionOptions, prefix: string): string {
  return connection.mode === 'cluster' && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}
