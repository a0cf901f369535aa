// Scenario pieces for "an old write never replaces newer content": corpus versions in which every
// document's text changes, the real CLI (ingest, worker) driven as an operator would, with kill -9 /
// SIGSTOP, and the one check that matters: the store holds the last version exactly (every
// document, its text, its chunk count, no mix of two versions). The corpus versions and the check
// live in test/support/versioned-corpus.ts (bench/faults/versions.ts uses them too). Used by
// versioned-writes*.test.ts.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { CheckedStore } from '../../src/store/checked-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { pointId } from '../../src/store/point-id.ts';
import type { StoreAdapter } from '../../src/store/store-adapter.ts';
import type { StoredPoint } from '../../src/store/vector-store.ts';
import { isolatedEnv, TEST_REDIS_URL, type IsolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';
import { checkVersion, ingestArgs, versionProblems, writeCorpus, type CorpusVersion } from '../support/versioned-corpus.ts';
import { seededRandom } from '../producer/text-generator.ts';

/** Short locks, so a killed or paused worker's jobs come back to the queue within seconds. */
export const FAST_LOCKS = { EMBEDLINE_LOCK_DURATION_MS: '4000', EMBEDLINE_STALLED_INTERVAL_MS: '1500' };

export function lastJson<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** Ingests a version to the end with its own worker; the run must succeed. */
export async function ingestWhole(env: NodeJS.ProcessEnv, corpus: CorpusVersion): Promise<{ added: number; updated: number; unchanged: number; lost: number; superseded: number; jobs: number }> {
  const run = await runCli(ingestArgs(corpus), { env, timeoutMs: 300_000 });
  assert.equal(run.code, 0, `ingest v${corpus.version}: ${run.stderr}`);
  return lastJson(run.stdout);
}

/** Queues a version for external workers and returns without waiting; nothing embeds it yet. */
export async function queueOnly(env: NodeJS.ProcessEnv, corpus: CorpusVersion): Promise<number> {
  const run = await runCli(ingestArgs(corpus, ['--workers', '0', '--no-wait']), { env, timeoutMs: 300_000 });
  assert.equal(run.code, 0, `queue v${corpus.version}: ${run.stderr}`);
  return lastJson<{ jobs: number }>(run.stdout).jobs;
}

export function startWorker(env: NodeJS.ProcessEnv) {
  return startCli(['worker', '--concurrency', '2'], { env, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
}

export type CliProcess = ReturnType<typeof startCli>;

/** Stops a worker as an operator would (SIGTERM, then SIGKILL if it does not go); resumes it first if paused. */
export async function stopProcess(process: CliProcess): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGCONT');
  process.child.kill('SIGTERM');
  const done = await Promise.race([process.exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!done) {
    process.child.kill('SIGKILL');
    await process.exited;
  }
}

export function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
}

/** The embedding queue of this test's prefix, read and nudged directly (no CLI start-up per poll). */
export class TestQueue {
  readonly queue: Queue;

  constructor(env: NodeJS.ProcessEnv) {
    const url = new URL(env.REDIS_URL ?? TEST_REDIS_URL);
    this.queue = new Queue('embed', { connection: { host: url.hostname, port: Number(url.port || 6379) }, prefix: env.EMBEDLINE_QUEUE_PREFIX });
  }

  async counts(): Promise<{ waiting: number; active: number; delayed: number; failed: number }> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
  }

  /** Waits until no job waits, runs or is set aside (delayed ones are promoted, not waited out). */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await this.counts();
      if (c.waiting + c.active + c.delayed === 0) return;
      if (Date.now() > deadline) throw new Error(`queue not drained within ${timeoutMs} ms: ${JSON.stringify(c)}`);
      if (c.delayed > 0) await this.queue.promoteJobs();
      await sleep(250);
    }
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Starts `embedline worker`, waits until the queue is drained, stops it; returns it for its log. */
export async function drainWithWorker(env: NodeJS.ProcessEnv): Promise<CliProcess> {
  const queue = new TestQueue(env);
  const worker = startWorker(env);
  try {
    await worker.ready;
    await queue.drained(240_000);
  } finally {
    await stopProcess(worker);
    await queue.close();
  }
  return worker;
}

/** `embedline status --json`'s queue figures. */
export async function statusQueue(env: NodeJS.ProcessEnv): Promise<{ completed: number; failed: number; superseded?: number }> {
  const status = await runCli(['status', '--json'], { env });
  assert.equal(status.code, 0, status.stderr);
  return JSON.parse(status.stdout).queue;
}

/**
 * The store holds `corpus` exactly (test/support/versioned-corpus.ts checkVersion): a document back
 * at an older version, or mixing two, is named in the failure.
 */
export async function assertStoreHolds(env: NodeJS.ProcessEnv, corpus: CorpusVersion): Promise<void> {
  const store = openStore({ dataDir: env.EMBEDLINE_DATA, qdrantUrl: env.QDRANT_URL });
  const chunks: Chunk[] = [];
  try {
    for await (const chunk of store.chunks(corpus.collection)) chunks.push(chunk);
  } finally {
    await store.close();
  }
  assert.deepEqual(versionProblems(checkVersion(chunks, corpus.texts)), [], `the store must hold v${corpus.version} exactly`);
}

/**
 * Writes `corpus` into its collection at `version` as a writer killed between its write and its
 * clean-up would: the points land, the delete of what an older version still has beside them never
 * runs. The points are embedded by a real ingest of the same texts under a scratch prefix and
 * collection (`scratch`), then given the collection's ids; the store is the real one, only its
 * delete step dies.
 */
export async function writeKilledBeforeCleanUp(env: NodeJS.ProcessEnv, scratch: NodeJS.ProcessEnv, corpus: CorpusVersion, version: number): Promise<void> {
  const embedded = { ...corpus, collection: `${corpus.collection}-scratch` };
  await ingestWhole(scratch, embedded);
  const points: StoredPoint[] = [];
  const source = openStore({ dataDir: scratch.EMBEDLINE_DATA, qdrantUrl: scratch.QDRANT_URL });
  try {
    for await (const point of source.points(embedded.collection)) {
      points.push({ ...point, id: pointId(corpus.collection, point.chunk.documentId, point.chunk.chunkIndex), version });
    }
  } finally {
    await source.close();
  }
  const store = openStore({ dataDir: env.EMBEDLINE_DATA, qdrantUrl: env.QDRANT_URL });
  const adapter = Reflect.get(store, 'backend') as StoreAdapter;
  const dying = new CheckedStore(
    new Proxy(adapter, {
      get(target, key) {
        if (key === 'deleteDocument') return async () => Promise.reject(new Error('killed before its clean-up'));
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  );
  try {
    await assert.rejects(dying.upsert(corpus.collection, points), /killed before its clean-up/);
  } finally {
    await store.close();
  }
}

/** The two losses of the issue as tests, on the store `storeEnv` selects. */
export function runVersionedWriteScenarios(label: string, storeEnv: () => Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }>): void {
  describe(`an old write never replaces newer content (${label})`, () => {
    let stopStore = async () => undefined as void;
    const isos: IsolatedEnv[] = [];
    let storeEnvVars: NodeJS.ProcessEnv = {};
    before(async () => {
      const store = await storeEnv();
      storeEnvVars = store.env;
      stopStore = store.stop;
    });
    after(async () => {
      await stopStore();
      for (const iso of isos) await iso.cleanup();
    });
    /** A fresh prefix and data folder per test (a Qdrant stand-in is shared: each test uses its own collection prefix). */
    const fresh = (name: string) => {
      const iso = isolatedEnv(`${name}-${label}`);
      isos.push(iso);
      return { iso, env: { ...iso.env, ...storeEnvVars, ...FAST_LOCKS } };
    };

    test('leftover jobs of an older run, finished by `embedline worker` after a newer ingest, are superseded: the store keeps the newer version', { timeout: 600_000 }, async () => {
      const { iso, env } = fresh('leftovers');
      const v1 = writeCorpus(iso.dir, 'leftovers', 1, 60);
      const v2 = writeCorpus(iso.dir, 'leftovers', 2, 60);
      const leftoverJobs = await queueOnly(env, v1); // a producer whose workers never came (or were killed)
      assert.ok(leftoverJobs >= 4, `v1 queued ${leftoverJobs} jobs`);
      const second = await ingestWhole(env, v2);
      assert.deepEqual([second.added, second.lost], [60, 0]);
      await assertStoreHolds(env, v2);

      const worker = await drainWithWorker(env);
      await assertStoreHolds(env, v2);
      const status = await statusQueue(env);
      assert.equal(status.failed, 0);
      assert.equal(status.superseded, leftoverJobs, 'every leftover job completed as superseded, none written');
      assert.match(worker.output().stderr, /"event":"job\.superseded"/);
    });

    test('back to v1 after an interrupted v2: the re-run finds v1 unchanged and claims it, so the v2 leftovers are superseded', { timeout: 600_000 }, async () => {
      const { iso, env } = fresh('revert');
      const v1 = writeCorpus(iso.dir, 'revert', 1, 60);
      const v2 = writeCorpus(iso.dir, 'revert', 2, 60);
      await ingestWhole(env, v1);
      const leftoverJobs = await queueOnly(env, v2); // the wrong file, its run interrupted before any worker came
      const again = await ingestWhole(env, v1);
      assert.deepEqual([again.unchanged, again.added, again.updated], [60, 0, 0], 'queueing v2 changed nothing in the store');
      await drainWithWorker(env);
      await assertStoreHolds(env, v1);
      assert.equal((await statusQueue(env)).superseded, leftoverJobs);
    });

    test('a writer killed between its write and its clean-up left v1 chunks beside v2: the next ingest of v2 rewrites the document and they go', { timeout: 600_000 }, async () => {
      const { iso, env } = fresh('killed-writer');
      const { env: scratch } = fresh('killed-writer-scratch');
      const v1 = writeCorpus(iso.dir, 'killed-writer', 1, 60);
      const v2 = writeCorpus(iso.dir, 'killed-writer', 2, 60);
      await ingestWhole(env, v1);
      await writeKilledBeforeCleanUp(env, scratch, v2, 2);
      await assert.rejects(assertStoreHolds(env, v2), /mix chunks of two versions/, 'the killed write left documents mixing v1 and v2');

      const again = await ingestWhole(env, v2);
      assert.equal(again.lost, 0);
      await assertStoreHolds(env, v2);
    });

    test('a writer killed before its clean-up, then a leftover job of an older run: the superseded job drops the older chunks', { timeout: 600_000 }, async () => {
      const { iso, env } = fresh('killed-leftover');
      const { env: scratch } = fresh('killed-leftover-scratch');
      const v1 = writeCorpus(iso.dir, 'killed-leftover', 1, 60);
      const v2 = writeCorpus(iso.dir, 'killed-leftover', 2, 60);
      const v3 = writeCorpus(iso.dir, 'killed-leftover', 3, 60);
      await ingestWhole(env, v1); // run 1
      const leftoverJobs = await queueOnly(env, v3); // run 2: its workers never came
      await writeKilledBeforeCleanUp(env, scratch, v2, 3); // a later run's writer, killed before its clean-up
      await assert.rejects(assertStoreHolds(env, v2), /mix chunks of two versions/, 'the killed write left documents mixing v1 and v2');

      await drainWithWorker(env);
      assert.equal((await statusQueue(env)).superseded, leftoverJobs, 'every leftover job is superseded by the run-3 write');
      await assertStoreHolds(env, v2);
    });

    test('a worker paused past its lock during v1 wakes after v2 was ingested: its v1 batch is refused, the store keeps v2', { timeout: 600_000 }, async () => {
      const { iso, env } = fresh('paused');
      const v1 = writeCorpus(iso.dir, 'paused', 1, 60);
      const v2 = writeCorpus(iso.dir, 'paused', 2, 60);
      await queueOnly(env, v1);
      const queue = new TestQueue(env);
      const sleeper = startWorker(env);
      let helper: CliProcess | undefined;
      try {
        await sleeper.ready;
        // Pause it while it holds jobs (embedding or writing them): every active job is then its own.
        let held = 0;
        for (let attempt = 0; held === 0; attempt++) {
          assert.ok(attempt < 200, 'the worker never held a job when paused');
          await sleep(100);
          signal(sleeper.child, 'SIGSTOP');
          held = (await queue.counts()).active;
          if (held === 0) signal(sleeper.child, 'SIGCONT');
        }
        // v1 finishes without it: its jobs come back once their locks expire.
        helper = startWorker(env);
        await helper.ready;
        await queue.drained(240_000);
        await stopProcess(helper);
        const second = await ingestWhole(env, v2);
        assert.equal(second.lost, 0);
        await assertStoreHolds(env, v2);

        signal(sleeper.child, 'SIGCONT');
        // It finishes what it held (refused: superseded), then cannot complete it (its lock is gone).
        const deadline = Date.now() + 60_000;
        while (!/job\.superseded|Missing lock|job\.failed/.test(sleeper.output().stderr) && Date.now() < deadline) await sleep(200);
        await sleep(3000);
        assert.match(sleeper.output().stderr, /job\.superseded|Missing lock|job\.failed/, 'the woken worker went on with its v1 batch');
      } finally {
        await stopProcess(sleeper);
        if (helper) await stopProcess(helper);
        await queue.close();
      }
      await assertStoreHolds(env, v2);
    });
  });
}

/**
 * VERSIONS versions of a 60-document corpus (every text changes each time, random lengths, some
 * documents longer than one job), each ingested to the end, with random faults around each: a
 * producer killed with kill -9 while it queues (its jobs left over), an external worker killed
 * with kill -9 or paused with SIGSTOP while it holds jobs (resumed only at the very end), and a
 * late `embedline worker` that finishes every leftover. The store must then hold the last version.
 * EMBEDLINE_TEST_SEED replays a run; the seed is printed either way.
 */
export function runRandomFaults(label: string, storeEnv: () => Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }>): void {
  const VERSIONS = 3;
  test(`random kill -9 / SIGSTOP / late leftover workers over ${VERSIONS} versions end with the last version exactly (${label})`, { timeout: 600_000 }, async (t) => {
    const seed = Number(process.env.EMBEDLINE_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed} (replay: EMBEDLINE_TEST_SEED=${seed})`);
    process.stderr.write(`random faults (${label}): seed ${seed}\n`);
    const random = seededRandom(seed);
    const between = (low: number, high: number) => Math.round(low + random() * (high - low));
    const store = await storeEnv();
    const iso = isolatedEnv(`random-${label}`);
    const env = { ...iso.env, ...store.env, ...FAST_LOCKS };
    const queue = new TestQueue(env);
    const workers: CliProcess[] = [];
    const events: string[] = [];
    try {
      let last: CorpusVersion | undefined;
      for (let version = 1; version <= VERSIONS; version++) {
        const corpus = writeCorpus(iso.dir, `random-${seed}`, version, 60, (doc) => (doc < 2 && random() < 0.5 ? 100 : between(1, 4)));
        if (random() < 0.7) {
          // kill -9 while it queues: right after its first job is there, or a moment later.
          const producer = startCli(ingestArgs(corpus, ['--workers', '0', '--no-wait']), { env, ready: /./, timeoutMs: 60_000 });
          producer.ready.catch(() => undefined);
          const exited = producer.exited.then(() => true);
          while ((await queue.counts()).waiting === 0 && !(await Promise.race([exited, sleep(50).then(() => false)])));
          await sleep(between(0, 300));
          signal(producer.child, 'SIGKILL');
          await producer.exited;
          events.push(`v${version}: producer killed (${(await queue.counts()).waiting} jobs waiting)`);
        }
        if ((await queue.counts()).waiting > 0 && random() < 0.7) {
          // A worker takes leftovers; kill -9 or SIGSTOP it (resumed only at the end) while it holds some.
          const worker = startWorker(env);
          workers.push(worker);
          await worker.ready;
          for (let tries = 0; tries < 100 && (await queue.counts()).active === 0; tries++) await sleep(50);
          const after = between(0, 1500);
          await sleep(after);
          const fault = random() < 0.5 ? 'SIGKILL' : 'SIGSTOP';
          signal(worker.child, fault);
          events.push(`v${version}: worker ${fault} ${after} ms after it took jobs (${(await queue.counts()).active} active)`);
        }
        await ingestWhole(env, corpus);
        last = corpus;
      }
      events.push('end: paused workers resumed, a late worker finishes the leftovers');
      const late = startWorker(env);
      workers.push(late);
      await late.ready;
      for (const worker of workers) signal(worker.child, 'SIGCONT');
      await queue.drained(240_000);
      // Stopping a worker lets what it still holds finish first: then nothing can write any more.
      for (const worker of workers) await stopProcess(worker);
      t.diagnostic(events.join('; '));
      await assertStoreHolds(env, last!);
      assert.equal((await queue.counts()).failed, 0, 'no job failed');
    } finally {
      for (const worker of workers) await stopProcess(worker);
      await queue.close();
      await store.stop();
      await iso.cleanup();
    }
  });
}
