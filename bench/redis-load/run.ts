// How much Redis one ingest costs per chunk, to say how many workers one Redis feeds (a script,
// not a test):
//
//   npx tsx bench/redis-load/run.ts [--docs 600] [--workers 1] [--idle-seconds 10] [--out bench/redis-load/last-run.md]
//
// A private redis-server (free port, nothing else connected) is measured twice from its own INFO:
// idle for --idle-seconds (its own housekeeping), then during one ingest of --docs generated
// documents (several chunks each) with the real model and in-process workers, into a fresh
// embedded store. Redis's CPU (used_cpu_user + used_cpu_sys) and commands processed over the
// ingest, less the idle rate over the same time, divided by the chunks stored, give the cost of one
// chunk; with the run's own chunks/s per worker that gives the workers one Redis core feeds at a
// chosen share of that core (50%: Redis stays responsive under bursts). The top commands by Redis
// time come from INFO commandstats.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { ingest, openStore } from '../../src/index.ts';
import { testEmbedder } from '../../test/support/model.ts';
import { privateRedis } from '../../test/support/private-redis.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '600' },
    workers: { type: 'string', default: '1' },
    'idle-seconds': { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/redis-load/last-run.md' },
  },
});
const documents = Number(values.docs);
const workers = Number(values.workers);
const idleSeconds = Number(values['idle-seconds']);
/** The share of one Redis core the workers may use between them. */
const REDIS_CPU_BUDGET = 0.5;

interface RedisSample {
  at: number;
  cpuMs: number;
  commands: number;
  commandUsec: Map<string, { calls: number; usec: number }>;
}

async function sample(redis: Redis): Promise<RedisSample> {
  const info = await redis.info('all');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)![1]);
  const commandUsec = new Map<string, { calls: number; usec: number }>();
  for (const [, name, calls, usec] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) commandUsec.set(name, { calls: Number(calls), usec: Number(usec) });
  return { at: Date.now(), cpuMs: (field('used_cpu_user') + field('used_cpu_sys')) * 1000, commands: field('total_commands_processed'), commandUsec };
}

/** Documents of 10 to 14 sentences each (about 400 to 560 tokens), so each makes two or three chunks. */
function writeCorpus(path: string): void {
  const topics = ['stars', 'bread', 'violins', 'glaciers', 'tides', 'bees', 'volcanoes', 'printing presses', 'rivers', 'clocks'];
  const rows = Array.from({ length: documents }, (_, i) => {
    const sentences = Array.from({ length: 10 + (i % 5) }, (_, s) => `Sentence ${s} of note ${i} about ${topics[(i + s) % topics.length]} records observation ${i * 13 + s * 7}, taken on day ${(i + s) % 31} near site ${(i * 7 + s) % 97}, and compares it with the ${s % 2 ? 'previous' : 'following'} season's readings in some detail.`);
    return `d${i},"${sentences.join(' ')}"`;
  });
  writeFileSync(path, ['id,body', ...rows].join('\n') + '\n');
}

const dir = mkdtempSync(join(tmpdir(), 'embedline-redis-load-'));
const server = await privateRedis();
await server.start();
const redis = new Redis(server.url);
const store = openStore({ dataDir: join(dir, 'data') });
try {
  const csv = join(dir, 'corpus.csv');
  writeCorpus(csv);
  const embedder = await testEmbedder();

  const idleStart = await sample(redis);
  await sleep(idleSeconds * 1000);
  const idleEnd = await sample(redis);
  const idleCpuMsPerS = (idleEnd.cpuMs - idleStart.cpuMs) / ((idleEnd.at - idleStart.at) / 1000);
  const idleCommandsPerS = Math.max(0, idleEnd.commands - idleStart.commands - 1) / ((idleEnd.at - idleStart.at) / 1000);

  const before = await sample(redis);
  const summary = await ingest(csv, { collection: 'load', textFields: ['body'], idField: 'id', store, redisUrl: server.url, queuePrefix: 'load', model: embedder, workers, rejectsPath: join(dir, 'rejects.jsonl') });
  const after = await sample(redis);

  const seconds = (after.at - before.at) / 1000;
  const cpuMs = after.cpuMs - before.cpuMs - idleCpuMsPerS * seconds;
  const commands = after.commands - before.commands - idleCommandsPerS * seconds;
  const chunks = summary.chunks;
  const chunksPerSecondPerWorker = chunks / seconds / workers;
  const cpuMsPerChunk = cpuMs / chunks;
  const workersPerRedis = (REDIS_CPU_BUDGET * 1000) / (cpuMsPerChunk * chunksPerSecondPerWorker);
  const top = [...after.commandUsec]
    .map(([name, now]) => {
      const then = before.commandUsec.get(name) ?? { calls: 0, usec: 0 };
      return { name, calls: now.calls - then.calls, usec: now.usec - then.usec };
    })
    .filter((c) => c.calls > 0)
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 8);

  const report = [
    `# Redis load of one ingest (${new Date().toISOString().slice(0, 10)})`,
    '',
    `${documents} documents, ${chunks} chunks in ${summary.jobs} jobs, ${workers} in-process worker(s), all-MiniLM-L6-v2 fp32; one private redis-server ${(await redis.info('server')).match(/redis_version:(\S+)/)![1]}; load average at the start ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores.`,
    '',
    '| figure | value |',
    '| --- | ---: |',
    `| ingest wall time | ${seconds.toFixed(1)} s |`,
    `| chunks/s per worker (this machine) | ${chunksPerSecondPerWorker.toFixed(1)} |`,
    `| Redis idle (housekeeping) | ${idleCpuMsPerS.toFixed(2)} ms CPU/s, ${idleCommandsPerS.toFixed(1)} commands/s |`,
    `| Redis CPU for the ingest, idle rate taken off | ${cpuMs.toFixed(0)} ms |`,
    `| Redis commands for the ingest | ${commands.toFixed(0)} |`,
    `| **Redis CPU per chunk** | **${cpuMsPerChunk.toFixed(3)} ms** |`,
    `| Redis commands per chunk / per job | ${(commands / chunks).toFixed(2)} / ${(commands / summary.jobs).toFixed(0)} |`,
    `| chunks/s one Redis core serves at ${REDIS_CPU_BUDGET * 100}% of it (all workers together) | ${Math.floor((REDIS_CPU_BUDGET * 1000) / cpuMsPerChunk)} |`,
    `| **workers one Redis core feeds at ${REDIS_CPU_BUDGET * 100}% of it** | **${Math.floor(workersPerRedis)}** (at this run's ${chunksPerSecondPerWorker.toFixed(1)} chunks/s each) |`,
    '',
    'Top commands by Redis time during the ingest:',
    '',
    '| command | calls | µs |',
    '| --- | ---: | ---: |',
    ...top.map((c) => `| ${c.name} | ${c.calls} | ${c.usec} |`),
    '',
  ].join('\n');
  process.stdout.write(report);
  writeFileSync(values.out!, report);
} finally {
  redis.disconnect();
  await store.close();
  await server.crash();
  rmSync(dir, { recursive: true, force: true });
}
