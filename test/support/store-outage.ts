// A store outage in the middle of an ingest, for the outage test and bench/faults/store-outage.ts.
// The store goes away for real: Qdrant (the stand-in) sits behind a proxy that answers 503 or cuts
// the connection while "down"; the embedded store's data folder is bind-mounted read-only over
// itself (needs root, as on this machine and in the CI container). One flow queues a one-chunk-per-
// document corpus, runs an external `embedline worker`, takes the store away for a while, and
// reports what came out: expected and found points, jobs completed while the store was down (must
// be 0: nothing is acknowledged before it is written), failed jobs, and how long recovery took.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbedQueue, type QueueCounts } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { seededRandom, sentence } from '../producer/text-generator.ts';
import { startQdrantStandin } from './qdrant-standin.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { runCli, startCli } from './run-cli.ts';

export type StoreKind = 'local' | 'qdrant';

/** A store that can be taken away and given back. */
export interface StoreSwitch {
  /** Environment that points embedline at the store (QDRANT_URL for Qdrant; nothing for local). */
  env: NodeJS.ProcessEnv;
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  stop(): Promise<void>;
}

/** The Qdrant stand-in behind a proxy; down means every request gets a 503 or a cut connection, alternately. */
export async function qdrantSwitch(): Promise<StoreSwitch> {
  const standin = await startQdrantStandin();
  const proxy = await startRecordingProxy(standin.url);
  return {
    env: { QDRANT_URL: proxy.url },
    goDown: async () => proxy.setFault(({ index }) => (index % 2 === 0 ? 503 : 'reset')),
    comeBack: async () => proxy.setFault(undefined),
    stop: async () => {
      await proxy.close();
      await standin.stop();
    },
  };
}

/** The embedded store's data folder; down means it is mounted read-only over itself. */
export function localSwitch(dataDir: string): StoreSwitch {
  let mounted = false;
  const comeBack = async () => {
    if (mounted) execFileSync('umount', [dataDir]);
    mounted = false;
  };
  return {
    env: {},
    goDown: async () => {
      mkdirSync(dataDir, { recursive: true });
      execFileSync('mount', ['--bind', '-o', 'ro', dataDir, dataDir]);
      mounted = true;
    },
    comeBack,
    stop: comeBack,
  };
}

export interface OutageRunOptions {
  store: StoreSwitch;
  /** The caller's isolated environment (EMBEDLINE_DATA, EMBEDLINE_QUEUE_PREFIX, REDIS_URL). */
  env: NodeJS.ProcessEnv;
  /** Where the corpus file is written. */
  dir: string;
  collection: string;
  documents: number;
  /** 0: no outage (a clean run to compare with). */
  outageMs: number;
  /** The outage starts once this many jobs have completed (0: before the worker takes any). */
  downAfterJobs: number;
  /** Stay down past outageMs until some job has failed and waits out a backoff (a loaded machine may be slow to try one). */
  holdUntilRetried?: boolean;
  workerConcurrency?: number;
  timeoutMs?: number;
}

export interface OutageRun {
  jobs: number;
  expected: number;
  found: number;
  failed: number;
  /** Jobs completed between going down and coming back. */
  completedWhileDown: number;
  /** Most jobs seen waiting out a backoff at once: proof that they were retried, not dropped. */
  maxDelayed: number;
  /** From the worker's readiness to the last job's completion. */
  totalMs: number;
  /** From the store's return to the last job's completion (0 without an outage). */
  recoveryMs: number;
  workerLog: string;
}

/** One-chunk documents in JSONL, seeded so every run indexes the same corpus. */
function writeCorpus(path: string, documents: number): void {
  const random = seededRandom(11);
  const lines = Array.from({ length: documents }, (_, i) => JSON.stringify({ id: `doc-${i}`, text: sentence(random, 30) }));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function until(what: string, deadline: number, check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function pointCount(env: NodeJS.ProcessEnv, collection: string): Promise<number> {
  const r = await runCli(['collections', '--json'], { env });
  if (r.code !== 0) throw new Error(`collections failed: ${r.stderr}`);
  const found = (JSON.parse(r.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === collection);
  return found?.points ?? 0;
}

export async function runOutageIngest(options: OutageRunOptions): Promise<OutageRun> {
  const env = { ...options.env, ...options.store.env };
  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  const queue = new EmbedQueue(redisOptionsFromUrl(env.REDIS_URL!), env.EMBEDLINE_QUEUE_PREFIX!);
  const corpus = join(options.dir, `${options.collection}.jsonl`);
  writeCorpus(corpus, options.documents);
  let maxDelayed = 0;
  const counts = async (): Promise<QueueCounts> => {
    const c = await queue.counts();
    maxDelayed = Math.max(maxDelayed, c.delayed);
    return c;
  };
  let worker: ReturnType<typeof startCli> | undefined;
  try {
    const queued = await runCli(['ingest', corpus, '--collection', options.collection, '--text-field', 'text', '--id-field', 'id', '--workers', '0', '--no-wait', '--json'], { env });
    if (queued.code !== 0) throw new Error(`ingest failed: ${queued.stderr}`);
    const jobs = JSON.parse(queued.stdout).jobs as number;
    const before = await counts();
    // Queued first (the producer needs the store), then down, then a worker: every job meets the outage.
    if (options.outageMs > 0 && options.downAfterJobs === 0) await options.store.goDown();
    worker = startCli(['worker', '--concurrency', String(options.workerConcurrency ?? 2)], { env, ready: /worker\.ready/ });
    await worker.ready;
    const started = Date.now();
    let completedWhileDown = 0;
    let cameBack = started;
    if (options.outageMs > 0) {
      if (options.downAfterJobs > 0) {
        await until(`${options.downAfterJobs} jobs to complete`, deadline, async () => (await counts()).completed - before.completed >= options.downAfterJobs);
        await options.store.goDown();
      }
      const downAt = Date.now();
      const completedAtDown = (await counts()).completed;
      while (Date.now() - downAt < options.outageMs || (options.holdUntilRetried && maxDelayed === 0)) {
        if (Date.now() > deadline) throw new Error('timed out waiting for a job to fail while the store was down');
        await counts();
        await sleep(200);
      }
      completedWhileDown = (await counts()).completed - completedAtDown;
      await options.store.comeBack();
      cameBack = Date.now();
    }
    await until('every job to finish', deadline, async () => {
      const c = await counts();
      return c.waiting + c.active + c.delayed === 0 && c.completed + c.failed - before.completed - before.failed >= jobs;
    });
    const finished = Date.now();
    const end = await counts();
    return {
      jobs,
      expected: options.documents,
      found: await pointCount(env, options.collection),
      failed: end.failed - before.failed,
      completedWhileDown,
      maxDelayed,
      totalMs: finished - started,
      recoveryMs: options.outageMs > 0 ? finished - cameBack : 0,
      workerLog: worker.output().stderr,
    };
  } finally {
    await options.store.comeBack();
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await queue.close();
  }
}
