// REDIS_URL naming a Redis Cluster or a Sentinel set, on real servers of this test's own (free local
// ports, stopped after even on failure): an ingest end to end on a 3-master Cluster (exact document
// count, every queue key in one hash slot, Redis commands per chunk measured for
// docs/several-machines.md), and an ingest through Sentinel whose master is demoted (SENTINEL
// FAILOVER) or killed during it (exact result, chunks written twice, time). The URL forms and the
// hash-tagged prefix are checked first, offline.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest, openStore, type IngestOptions, type IngestProgress, type IngestSummary, type VectorStore } from '../../src/index.ts';
import { queueKeyPrefix } from '../../src/queue/redis-client.ts';
import { createEmbedWorker } from '../../src/worker/embed-worker.ts';
import { redisAddress, redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import type { StoredPoint } from '../../src/store/vector-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';
import { redisCli, redisCluster, redisSentinel, type SentinelServers } from '../support/redis-topology.ts';

const iso = isolatedEnv('redis-topologies');
after(() => iso.cleanup());

test('REDIS_URL forms: one server, a Cluster (two spellings), a Sentinel set; bad ones get one line naming REDIS_URL', () => {
  const single = redisOptionsFromUrl('redis://:pw@10.0.0.1:6380/2');
  assert.deepEqual({ mode: single.mode, address: redisAddress(single), password: single.password }, { mode: 'single', address: 'redis://10.0.0.1:6380/2', password: 'pw' });
  const cluster = redisOptionsFromUrl('redis+cluster://a:7000,b:7001,[::1]:7002');
  assert.equal(cluster.mode, 'cluster');
  assert.deepEqual(cluster.mode === 'cluster' && cluster.nodes, [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }, { host: '::1', port: 7002 }]);
  assert.deepEqual(redisOptionsFromUrl('redis://a:7000,redis://b:7001'), { ...cluster, nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }] });
  const sentinel = redisOptionsFromUrl('rediss+sentinel://:master%40pw@s1:26379,s2:26380/mymaster/3?sentinelPassword=spw');
  assert.equal(sentinel.mode, 'sentinel');
  if (sentinel.mode === 'sentinel') {
    assert.deepEqual(
      { sentinels: sentinel.sentinels, name: sentinel.name, db: sentinel.db, password: sentinel.password, sentinelPassword: sentinel.sentinelPassword, tls: sentinel.tls },
      { sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }], name: 'mymaster', db: 3, password: 'master@pw', sentinelPassword: 'spw', tls: {} },
    );
  }
  for (const [url, why] of [
    ['redis+sentinel://s1:26379', /names no master/],
    ['redis://a:1,b:2', /names several hosts: write redis\+cluster:\/\//],
    ['redis+cluster://a:1/2', /a Cluster has only database 0/],
    ['redis://:secret@a:99999', /bad port/],
    ['http://a:1', /must be redis:\/\//],
  ] as const) {
    assert.throws(() => redisOptionsFromUrl(url), (err: Error) => /^REDIS_URL /.test(err.message) && why.test(err.message) && !err.message.includes('secret'), url);
  }
  // BullMQ on a Cluster needs its keys in one slot: the prefix becomes a hash tag there, and only there.
  assert.equal(queueKeyPrefix(cluster, 'embedline'), '{embedline}');
  assert.equal(queueKeyPrefix(cluster, '{mine}-q'), '{mine}-q');
  assert.equal(queueKeyPrefix(single, 'embedline'), 'embedline');
  assert.equal(queueKeyPrefix(sentinel, 'embedline'), 'embedline');
});

/** A CSV of `n` short distinct documents. */
function corpus(name: string, n: number): string {
  const path = join(iso.dir, `${name}.csv`);
  const topics = ['stars', 'bread', 'violins', 'glaciers', 'tides', 'bees', 'volcanoes', 'printing presses'];
  const rows = Array.from({ length: n }, (_, i) => `d${i},"Note ${i} about ${topics[i % topics.length]}: observation number ${i * 7 + 3} was recorded on day ${i % 31}."`);
  writeFileSync(path, ['id,body', ...rows].join('\n') + '\n');
  return path;
}

/** Ingests `documents` generated documents into `collection` through the Redis at `redisUrl`. */
async function ingestVia(redisUrl: string, collection: string, documents: number, store: VectorStore, options: Partial<IngestOptions>): Promise<IngestSummary> {
  return ingest(corpus(collection, documents), {
    collection,
    textFields: ['body'],
    idField: 'id',
    store,
    redisUrl,
    queuePrefix: iso.prefix,
    model: await testEmbedder(),
    rejectsPath: join(iso.dir, `${collection}-rejects.jsonl`),
    ...options,
  });
}

/** Counts every point the store is asked to write, by id (a chunk written twice shows as a repeat). */
function countWrites(store: VectorStore): Map<string, number> {
  const writes = new Map<string, number>();
  const upsert = store.upsert.bind(store);
  store.upsert = async (name: string, points: StoredPoint[]) => {
    const outcome = await upsert(name, points);
    for (const point of points) writes.set(String(point.id), (writes.get(String(point.id)) ?? 0) + 1);
    return outcome;
  };
  return writes;
}

/** Commands processed and CPU seconds used (user + sys) by these Redis servers so far. */
async function redisWork(ports: readonly number[]): Promise<{ commands: number; cpuSeconds: number }> {
  const infos = await Promise.all(ports.map((port) => redisCli(port, 'INFO', 'all')));
  const sum = (field: string) => infos.reduce((total, info) => total + Number(new RegExp(`${field}:([\\d.]+)`).exec(info)![1]), 0);
  return { commands: sum('total_commands_processed'), cpuSeconds: sum('used_cpu_user') + sum('used_cpu_sys') };
}

test('a 3-master Redis Cluster: an ingest stores every document, and every queue key sits in one hash slot', { timeout: 90_000 }, async (t) => {
  const cluster = await redisCluster(3);
  const store = openStore({ dataDir: join(iso.dataDir, 'cluster') });
  try {
    const documents = 300;
    const before = await redisWork(cluster.ports);
    const started = Date.now();
    const summary = await ingestVia(cluster.url, 'on-cluster', documents, store, { workers: 2 });
    const seconds = (Date.now() - started) / 1000;
    const after = await redisWork(cluster.ports);
    const commands = after.commands - before.commands;
    const cpuMs = (after.cpuSeconds - before.cpuSeconds) * 1000;
    assert.deepEqual({ added: summary.added, lost: summary.lost, failedJobs: summary.failedJobs }, { added: documents, lost: 0, failedJobs: 0 });
    assert.equal((await store.describe('on-cluster'))?.documents, documents);

    // Every key of the prefix, on whichever master holds it, hashes to the slot of the tag.
    const tag = `{${iso.prefix}}`;
    const slot = Number((await redisCli(cluster.ports[0], 'CLUSTER', 'KEYSLOT', tag)).trim());
    const keys = (await Promise.all(cluster.ports.map((port) => redisCli(port, '--scan', '--pattern', `${tag}*`)))).flatMap((out) => out.split('\n').filter(Boolean));
    assert.ok(keys.some((key) => key.startsWith(`${tag}:embed:`)), `BullMQ keys under ${tag}: ${keys.slice(0, 5).join(' ')}`);
    for (const key of keys.slice(0, 50)) assert.equal(Number((await redisCli(cluster.ports[0], 'CLUSTER', 'KEYSLOT', key)).trim()), slot, key);
    const nodesWithKeys = (await Promise.all(cluster.ports.map((port) => redisCli(port, 'DBSIZE')))).filter((n) => Number(n.trim()) > 0).length;
    assert.equal(nodesWithKeys, 1, 'one queue lives on one shard');
    // The CLI reads the same queue through the Cluster URL.
    const status = await runCli(['status', '--json'], { env: { ...iso.env, REDIS_URL: cluster.url, EMBEDLINE_DATA: join(iso.dataDir, 'cluster') } });
    assert.equal(status.code, 0, status.stderr);
    const queue = (JSON.parse(status.stdout) as { queue: { completed: number; failed: number; waiting: number } }).queue;
    assert.deepEqual({ completed: queue.completed, failed: queue.failed, waiting: queue.waiting }, { completed: summary.jobs, failed: 0, waiting: 0 });
    t.diagnostic(`cluster: ${documents} documents, ${summary.chunks} chunks, ${summary.jobs} jobs in ${seconds.toFixed(1)} s; ${commands} Redis commands (${(commands / summary.chunks).toFixed(1)} per chunk, ${(commands / summary.jobs).toFixed(0)} per job), Redis CPU ${cpuMs.toFixed(0)} ms (${(cpuMs / summary.chunks).toFixed(3)} ms per chunk)`);
  } finally {
    await store.close();
    await cluster.stop();
  }
});

/** Two ways a master goes: demoted by SENTINEL FAILOVER (clients see READONLY), or killed (kill -9: connections drop, the sentinel promotes the replica after down-after-milliseconds). */
const FAILOVERS = {
  demoted: (s: SentinelServers) => redisCli(s.sentinelPort, 'SENTINEL', 'FAILOVER', s.name),
  killed: async (s: SentinelServers) => {
    s.killMaster();
    return 'OK';
  },
};

for (const [way, fail] of Object.entries(FAILOVERS)) {
  test(`Sentinel: the master ${way} during an ingest; the run ends with every document stored`, { timeout: 90_000 }, async (t) => {
    const sentinel = await redisSentinel();
    const store = openStore({ dataDir: join(iso.dataDir, `sentinel-${way}`) });
    const writes = countWrites(store);
    // A worker as `embedline worker` runs one, with short locks: a job whose lock the failover lost
    // returns to the queue within seconds (the defaults would take up to a minute and a half).
    const worker = createEmbedWorker({ connection: redisOptionsFromUrl(sentinel.url), prefix: iso.prefix, embedder: await testEmbedder(), store, concurrency: 2, lockDurationMs: 4000, stalledIntervalMs: 2000 });
    try {
      const documents = 400;
      let failover: Promise<string> | undefined;
      let failoverAt = 0;
      const progressTimes: number[] = [];
      let failoverSent = 0;
      const started = Date.now();
      const summary = await ingestVia(sentinel.url, `via-sentinel-${way}`, documents, store, {
        workers: 0,
        onProgress: (p: IngestProgress) => {
          if (failover) progressTimes.push(Date.now());
          // Once some jobs are done and more wait: the master goes under a running ingest.
          if (!failover && p.chunksEmbedded > 0 && p.chunksEmbedded < documents * 0.7) {
            failoverAt = p.chunksEmbedded;
            failoverSent = Date.now();
            failover = fail(sentinel);
          }
        },
      });
      const seconds = (Date.now() - started) / 1000;
      assert.ok(failover, 'the failover was started during the ingest');
      assert.match(await failover, /OK/);
      assert.equal(await sentinel.currentMasterPort(), sentinel.replicaPort, 'the replica is the master now');
      const stored = (await store.describe(`via-sentinel-${way}`))?.documents;
      const written = [...writes.values()].reduce((a, b) => a + b, 0);
      const repeats = written - writes.size;
      // The longest the run went without progress once the master went.
      const stallMs = Math.max(0, ...[failoverSent, ...progressTimes].map((time, i, all) => (i === 0 ? 0 : time - all[i - 1])));
      t.diagnostic(
        `sentinel, master ${way} after ${failoverAt} chunks: ${documents} documents expected, ${stored} stored, lost ${summary.lost}, requeued ${summary.requeued}, ${repeats} chunk writes repeated (of ${written}), longest pause in progress after it ${stallMs} ms, whole ingest ${seconds.toFixed(1)} s`,
      );
      assert.deepEqual({ added: summary.added, lost: summary.lost, failedJobs: summary.failedJobs, stored }, { added: documents, lost: 0, failedJobs: 0, stored: documents });
      assert.equal(writes.size, summary.chunksQueued, 'every chunk was written');
    } finally {
      await worker.close();
      await store.close();
      await sentinel.stop();
    }
  });
}
