// Real Redis topologies of a test's own, on free local ports, for the several-machines tests: a
// 3-master Redis Cluster (redis-server --cluster-enabled yes, joined by redis-cli --cluster
// create) and a Sentinel set (a master, one replica, one sentinel). Each server is daemonized with
// a pid file in a temporary folder, so stop() can end exactly these servers (SHUTDOWN NOSAVE, then
// SIGKILL by pid for one that does not answer) and remove the folder, even when the test failed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort } from './private-redis.ts';

const run = promisify(execFile);

/** redis-cli against one local port; resolves with its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 15_000 });
  return stdout;
}

interface Servers {
  dir: string;
  ports: number[];
}

async function startServer(servers: Servers, port: number, args: string[], configFile?: string): Promise<void> {
  const pidfile = join(servers.dir, `${port}.pid`);
  const head = configFile ? [configFile] : [];
  await run('redis-server', [...head, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidfile, '--dir', servers.dir, '--logfile', join(servers.dir, `${port}.log`), ...args]);
  servers.ports.push(port);
  await waitFor(async () => (await redisCli(port, 'PING').catch(() => '')).includes('PONG'), `redis-server on ${port} to answer`);
}

async function stopAll(servers: Servers): Promise<void> {
  for (const port of servers.ports) {
    await redisCli(port, 'SHUTDOWN', 'NOSAVE').catch(() => undefined);
    // One that did not go (or was stopped by the test already): end it by its own pid.
    try {
      process.kill(Number(readFileSync(join(servers.dir, `${port}.pid`), 'utf8').trim()), 'SIGKILL');
    } catch {
      // gone already
    }
  }
  rmSync(servers.dir, { recursive: true, force: true });
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface RedisClusterServers {
  /** redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function redisCluster(masters = 3): Promise<RedisClusterServers> {
  const servers: Servers = { dir: mkdtempSync(join(tmpdir(), 'embedline-cluster-')), ports: [] };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      await startServer(servers, port, ['--cluster-enabled', 'yes', '--cluster-config-file', join(servers.dir, `nodes-${port}.conf`)]);
    }
    await run('redis-cli', ['--cluster', 'create', ...servers.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await waitFor(async () => {
      const states = await Promise.all(servers.ports.map((p) => redisCli(p, 'CLUSTER', 'INFO').catch(() => '')));
      return states.every((info) => info.includes('cluster_state:ok'));
    }, 'the cluster to be ok');
  } catch (err) {
    await stopAll(servers);
    throw err;
  }
  return { url: `redis+cluster://${servers.ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports: servers.ports, stop: () => stopAll(servers) };
}

export interface SentinelServers {
  /** redis+sentinel://127.0.0.1:S/<name> */
  url: string;
  name: string;
  masterPort: number;
  replicaPort: number;
  sentinelPort: number;
  /** The port Sentinel names as the master now. */
  currentMasterPort(): Promise<number>;
  /** Kills the first master at once (SIGKILL): whatever it had not passed to the replica is gone. */
  killMaster(): void;
  stop(): Promise<void>;
}

export async function redisSentinel(name = 'embedline-test'): Promise<SentinelServers> {
  const servers: Servers = { dir: mkdtempSync(join(tmpdir(), 'embedline-sentinel-')), ports: [] };
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const currentMasterPort = async () => Number((await redisCli(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)).trim().split('\n')[1]);
  try {
    await startServer(servers, masterPort, []);
    await startServer(servers, replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
    await waitFor(async () => (await redisCli(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'), 'the replica to sync');
    // Sentinel rewrites its configuration file, so it gets one of its own.
    const conf = join(servers.dir, 'sentinel.conf');
    writeFileSync(conf, [`sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`, `sentinel down-after-milliseconds ${name} 1000`, `sentinel failover-timeout ${name} 10000`, ''].join('\n'));
    await startServer(servers, sentinelPort, ['--sentinel'], conf);
    // SENTINEL FAILOVER needs the replica known to the sentinel (learnt from the master's INFO).
    await waitFor(async () => /flags\s+slave\s/.test((await redisCli(sentinelPort, 'SENTINEL', 'REPLICAS', name).catch(() => '')).replace(/\n/g, ' ') + ' '), 'the sentinel to know the replica');
  } catch (err) {
    await stopAll(servers);
    throw err;
  }
  return {
    url: `redis+sentinel://127.0.0.1:${sentinelPort}/${name}`,
    name,
    masterPort,
    replicaPort,
    sentinelPort,
    currentMasterPort,
    killMaster: () => process.kill(Number(readFileSync(join(servers.dir, `${masterPort}.pid`), 'utf8').trim()), 'SIGKILL'),
    stop: () => stopAll(servers),
  };
}
