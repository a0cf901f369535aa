// REDIS_URL read as connection options: one Redis server, a master found through Sentinel, or a
// Redis Cluster (from any of its nodes). Parsed by hand: `new URL` cannot hold a host list.
import { EmbedlineError } from '../errors.ts';

/** How long a command waits for Redis to answer before it gives up (EMBEDLINE_REDIS_CONNECT_TIMEOUT_MS). */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 3000;

export interface RedisNode {
  host: string;
  port: number;
}

interface CommonRedisOptions {
  username?: string;
  password?: string;
  tls?: object;
  /** ioredis: how long one connection attempt may take. */
  connectTimeout: number;
  /** BullMQ's blocking commands must wait for reconnects rather than fail after N retries. */
  maxRetriesPerRequest: null;
}

/** One Redis server: `redis://[user:pass@]host:port[/db]` (rediss:// for TLS). */
export interface SingleRedisOptions extends CommonRedisOptions {
  mode: 'single';
  host: string;
  port: number;
  db?: number;
}

/**
 * A master found through Sentinel: `redis+sentinel://[user:pass@]host:port,host:port/mastername[/db]`
 * (`?sentinelPassword=…` when the sentinels want their own). The password is the master's.
 */
export interface SentinelRedisOptions extends CommonRedisOptions {
  mode: 'sentinel';
  sentinels: RedisNode[];
  name: string;
  sentinelPassword?: string;
  db?: number;
}

/** A Redis Cluster, from any of its nodes: `redis+cluster://[user:pass@]host:port,host:port`. */
export interface ClusterRedisOptions extends CommonRedisOptions {
  mode: 'cluster';
  nodes: RedisNode[];
}

export type RedisConnectionOptions = SingleRedisOptions | SentinelRedisOptions | ClusterRedisOptions;

// scheme, optional "+cluster"/"+sentinel", credentials, host list, path, query.
const REDIS_URL_RE = /^(redis|rediss)(?:\+(cluster|sentinel))?:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/;

/**
 * REDIS_URL as connection options: one server, a Sentinel set or a Cluster. A comma list of
 * redis:// URLs (`redis://a:7000,redis://b:7001`) also names a Cluster by its nodes.
 */
export function redisOptionsFromUrl(url: string, connectTimeoutMs = DEFAULT_REDIS_CONNECT_TIMEOUT_MS): RedisConnectionOptions {
  const list = url.split(/,(?=rediss?:\/\/)/);
  if (list.length > 1) return clusterFromList(url, list, connectTimeoutMs);
  const match = REDIS_URL_RE.exec(url.trim());
  if (!match) throw invalidUrl(url, 'must be redis://, rediss://, redis+cluster:// or redis+sentinel:// followed by host:port');
  const [, scheme, mode, auth, hostList, path, query] = match;
  const common: CommonRedisOptions = {
    ...credentials(auth),
    tls: scheme === 'rediss' ? {} : undefined,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: null,
  };
  const nodes = hostList.split(',').map((hostPort) => redisNode(url, hostPort));
  const segments = (path ?? '').split('/').filter((segment) => segment !== '');
  switch (mode) {
    case undefined: {
      if (nodes.length > 1) throw invalidUrl(url, 'names several hosts: write redis+cluster:// for a Cluster or redis+sentinel://…/mastername for Sentinel');
      return { mode: 'single', ...nodes[0], ...common, db: database(url, segments[0]) };
    }
    case 'cluster':
      if (segments.length > 0) throw invalidUrl(url, 'a Cluster has only database 0: leave the path out');
      return { mode: 'cluster', nodes, ...common };
    case 'sentinel': {
      const name = segments[0] ? decodeURIComponent(segments[0]) : '';
      if (name === '') throw invalidUrl(url, 'names no master: write redis+sentinel://host:port,host:port/mastername');
      const sentinelPassword = new URLSearchParams(query ?? '').get('sentinelPassword') ?? undefined;
      return { mode: 'sentinel', sentinels: nodes, name, ...common, sentinelPassword, db: database(url, segments[1]) };
    }
    default:
      throw invalidUrl(url, `has an unknown mode "${mode}"`);
  }
}

function clusterFromList(url: string, list: string[], connectTimeoutMs: number): ClusterRedisOptions {
  const each = list.map((one) => redisOptionsFromUrl(one, connectTimeoutMs));
  const nodes = each.map((one) => {
    if (one.mode !== 'single' || one.db !== undefined) throw invalidUrl(url, 'is a list of URLs (a Cluster), so each must be a plain redis://host:port');
    return { host: one.host, port: one.port };
  });
  const { username, password, tls, connectTimeout, maxRetriesPerRequest } = each[0];
  return { mode: 'cluster', nodes, username, password, tls, connectTimeout, maxRetriesPerRequest };
}

function credentials(auth: string | undefined): Pick<CommonRedisOptions, 'username' | 'password'> {
  if (!auth) return { username: undefined, password: undefined };
  const colon = auth.indexOf(':');
  const username = colon < 0 ? auth : auth.slice(0, colon);
  const password = colon < 0 ? undefined : auth.slice(colon + 1);
  return { username: username ? decodeURIComponent(username) : undefined, password: password ? decodeURIComponent(password) : undefined };
}

function redisNode(url: string, hostPort: string): RedisNode {
  const match = /^(\[[^\]]+\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!match) throw invalidUrl(url, `has a bad host:port "${hostPort}"`);
  const port = match[2] ? Number(match[2]) : 6379;
  if (port < 1 || port > 65535) throw invalidUrl(url, `has a bad port in "${hostPort}"`);
  return { host: match[1].replace(/^\[|\]$/g, '') || '127.0.0.1', port };
}

function database(url: string, segment: string | undefined): number | undefined {
  if (segment === undefined) return undefined;
  const db = Number(segment);
  if (!Number.isInteger(db) || db < 0) throw invalidUrl(url, `has a database "${segment}" that is not a whole number`);
  return db;
}

function invalidUrl(url: string, why: string): EmbedlineError {
  return new EmbedlineError('CONFIG_INVALID', `REDIS_URL ${redactRedisUrl(url)} ${why}`);
}

/** A Redis URL fit for messages and `status`: the password (if any) replaced by `***`. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/g, (_, auth: string) => `//${auth.includes(':') ? `${auth.slice(0, auth.indexOf(':'))}:***` : '***'}@`);
}

/** Where the options point, as a URL without credentials (for one-line errors). */
export function redisAddress(options: RedisConnectionOptions): string {
  const scheme = options.tls ? 'rediss' : 'redis';
  const hosts = (nodes: RedisNode[]) => nodes.map((node) => `${node.host}:${node.port}`).join(',');
  switch (options.mode) {
    case 'single':
      return `${scheme}://${options.host}:${options.port}${options.db ? `/${options.db}` : ''}`;
    case 'sentinel':
      return `${scheme}+sentinel://${hosts(options.sentinels)}/${options.name}${options.db ? `/${options.db}` : ''}`;
    case 'cluster':
      return `${scheme}+cluster://${hosts(options.nodes)}`;
  }
}
