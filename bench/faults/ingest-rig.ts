// One fault run's set-up: a private Redis, a store (a fresh embedded-store folder, or a fresh Qdrant
// stand-in), external `embedline worker` processes and the `ingest --workers 0` producer, all with
// deadlines. A fault script starts these, injects its fault, and reads back what the store holds.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { EmbedQueue, type QueueCounts } from '../../src/queue/embed-queue.ts';
import { EMBED_QUEUE } from '../../src/queue/embed-job.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { startQdrantStandin, type QdrantStandin } from '../../test/support/qdrant-standin.ts';
import { killAll, spawnCli, type ChildExit, type CliChild } from './cli-child.ts';
import type { Corpus } from './corpus.ts';
import { PrivateRedis } from './private-redis.ts';
import { readCollection, type StoredRow, type StoreLocation } from './store-readback.ts';

export const COLLECTION = 'faults';
const PREFIX = 'faults';
const WORKER_READY = /"event":"worker\.ready"/;
const WORKER_READY_TIMEOUT_MS = 120_000;

export type StoreKind = 'local' | 'qdrant';

export interface RigOptions {
  dir: string;
  corpus: Corpus;
  store: StoreKind;
  appendOnly?: boolean;
  /** Lock settings for the workers: how soon a killed worker's jobs come back. */
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Deadline of one `ingest` command; past it the run counts as a hang and is killed. */
  ingestTimeoutMs: number;
}

export interface IngestOutcome {
  exit: ChildExit;
  /** The parsed `--json` summary, when the command printed one. */
  summary?: Record<string, unknown>;
  /** The error line it printed instead, or the last log lines. */
  message: string;
}

export class IngestRig {
  readonly workers: CliChild[] = [];
  private readyWorkers = new Set<CliChild>();
  private workerCount = 0;
  private ingestCount = 0;

  private constructor(
    readonly options: RigOptions,
    readonly redis: PrivateRedis,
    private readonly standin: QdrantStandin | undefined,
  ) {}

  static async start(options: RigOptions): Promise<IngestRig> {
    mkdirSync(options.dir, { recursive: true });
    const redis = await PrivateRedis.start(join(options.dir, 'redis'), { appendOnly: options.appendOnly ?? false });
    const standin = options.store === 'qdrant' ? await startQdrantStandin({ strict: false }).catch(async (e) => {
      await redis.stop();
      throw e;
    }) : undefined;
    return new IngestRig(options, redis, standin);
  }

  get location(): StoreLocation {
    return this.standin ? { kind: 'qdrant', url: this.standin.url } : { kind: 'local', dataDir: this.dataDir('ingest') };
  }

  /** The embedded store's folder for one "host" (with Qdrant each host still has its own). */
  dataDir(host: string): string {
    return join(this.options.dir, host === 'ingest' || !this.standin ? 'data' : `data-${host}`);
  }

  env(host: string): NodeJS.ProcessEnv {
    return {
      REDIS_URL: this.redis.url,
      EMBEDLINE_QUEUE_PREFIX: PREFIX,
      EMBEDLINE_DATA: this.dataDir(host),
      QDRANT_URL: this.standin?.url ?? '',
      EMBEDLINE_THREADS: '1',
      EMBEDLINE_SESSIONS: '1',
      EMBEDLINE_LOCK_DURATION_MS: String(this.options.lockDurationMs),
      EMBEDLINE_STALLED_INTERVAL_MS: String(this.options.stalledIntervalMs),
      EMBEDLINE_QUIET: '0',
    };
  }

  /** Starts `embedline worker` as its own "host" (own EMBEDLINE_DATA with Qdrant); does not wait for it. */
  startWorker(host = `w${this.workerCount + 1}`): CliChild {
    this.workerCount++;
    const worker = spawnCli(`worker ${host}`, ['worker'], this.env(host), { timeoutMs: 60 * 60_000, ready: WORKER_READY });
    this.workers.push(worker);
    worker.ready.then(() => this.readyWorkers.add(worker), () => undefined);
    void worker.exited.then(() => this.readyWorkers.delete(worker));
    return worker;
  }

  /** Workers that have announced readiness and are still running. */
  liveReadyWorkers(): CliChild[] {
    return this.workers.filter((w) => this.readyWorkers.has(w) && w.alive());
  }

  async startWorkers(count: number): Promise<void> {
    const started = Array.from({ length: count }, () => this.startWorker());
    await Promise.all(started.map((w) => withDeadline(w.ready, WORKER_READY_TIMEOUT_MS, `${w.name} not ready`)));
  }

  startIngest(): CliChild {
    this.ingestCount++;
    const args = ['ingest', ...this.options.corpus.ingestArgs, '--collection', COLLECTION, '--workers', '0', '--json', '--no-progress'];
    return this.startCommand(`ingest #${this.ingestCount}`, args);
  }

  /** Starts any `embedline` command (another corpus, reindex, …) on this rig's Redis and store, with the ingest deadline. */
  startCommand(name: string, args: string[], ready?: RegExp): CliChild {
    return spawnCli(name, args, this.env('ingest'), { timeoutMs: this.options.ingestTimeoutMs, ready });
  }

  async runIngest(): Promise<IngestOutcome> {
    return ingestOutcome(this.startIngest());
  }

  async readStore(): Promise<StoredRow[]> {
    return readCollection(this.location, COLLECTION);
  }

  async queueCounts(): Promise<QueueCounts> {
    const queue = new EmbedQueue(redisOptionsFromUrl(this.redis.url), PREFIX);
    try {
      return await queue.counts();
    } finally {
      await queue.close();
    }
  }

  /** The failed set's reasons with how many jobs gave each ("job stalled more than allowable limit": 3). */
  async failedReasons(): Promise<Map<string, number>> {
    const queue = new EmbedQueue(redisOptionsFromUrl(this.redis.url), PREFIX);
    try {
      const reasons = new Map<string, number>();
      for (const job of await queue.failedJobs(1000)) reasons.set(job.reason, (reasons.get(job.reason) ?? 0) + 1);
      return reasons;
    } finally {
      await queue.close();
    }
  }

  /** Jobs the producer has queued so far, in every state (finished ones are kept up to 100). */
  async jobsQueued(): Promise<number> {
    const c = await this.queueCounts();
    return c.waiting + c.active + c.delayed + c.completed + c.failed;
  }

  /**
   * Waits until `target` jobs have completed, or the ingest is gone: a fault injected then hits a
   * run that is part-way through embedding, whatever the machine's speed. Returns the count reached.
   */
  async waitForCompletedJobs(target: number, ingest: CliChild): Promise<number> {
    let completed = 0;
    while (ingest.alive() && (completed = (await this.queueCounts()).completed) < target) await sleep(250);
    return completed;
  }

  /** Waits (bounded) until no job is waiting, delayed or active: the workers have drained the queue. */
  async waitForDrain(timeoutMs: number): Promise<boolean> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      const c = await this.queueCounts();
      if (c.waiting + c.delayed + c.active === 0) return true;
      await sleep(1000);
    }
    return false;
  }

  /** Active jobs whose lock is gone: work a stopped worker left behind instead of finishing or returning. */
  async orphanedActiveJobs(): Promise<string[]> {
    const redis = new Redis(this.redis.url);
    try {
      const ids = await redis.lrange(`${PREFIX}:${EMBED_QUEUE}:active`, 0, -1);
      const orphans: string[] = [];
      for (const id of ids) if ((await redis.exists(`${PREFIX}:${EMBED_QUEUE}:${id}:lock`)) === 0) orphans.push(id);
      return orphans;
    } finally {
      redis.disconnect();
    }
  }

  /** SIGTERM to the workers (they finish their jobs), SIGKILL to whatever is left, then Redis and the stand-in. */
  async close(): Promise<void> {
    for (const w of this.workers) w.signal('SIGTERM');
    await Promise.race([Promise.all(this.workers.map((w) => w.exited)), sleep(15_000)]);
    await killAll();
    await this.redis.stop();
    await this.standin?.stop();
  }
}

export async function ingestOutcome(ingest: CliChild): Promise<IngestOutcome> {
  const exit = await ingest.exited;
  const summaryLine = ingest.stdout().split('\n').filter((line) => line.startsWith('{')).pop();
  let summary: Record<string, unknown> | undefined;
  try {
    summary = summaryLine === undefined ? undefined : (JSON.parse(summaryLine) as Record<string, unknown>);
  } catch {
    summary = undefined;
  }
  const stderrLines = ingest.stderr().trim().split('\n');
  const errorLine = stderrLines.filter((l) => l.startsWith('error:')).pop();
  return { exit, summary, message: errorLine ?? stderrLines.slice(-1)[0] ?? '' };
}

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
