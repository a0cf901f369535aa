// Scenario pieces for "an old write never replaces newer content": corpus versions in which every
// document's text changes (and long documents turn short, so a stale job for chunks 0-63 meets a new
// version of 3), the real CLI (ingest, worker) driven as an operator would, with kill -9 / SIGSTOP,
// and the one check that matters: the store holds the last version exactly (every document, its
// text, its chunk count, no mix of two versions). Used by versioned-writes*.test.ts.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { openStore } from '../../src/store/open-store.ts';
import { isolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';
import { seededRandom } from '../producer/text-generator.ts';

/** Short locks, so a killed or paused worker's jobs come back to the queue within seconds. */
export const FAST_LOCKS = { EMBEDLINE_LOCK_DURATION_MS: '4000', EMBEDLINE_STALLED_INTERVAL_MS: '1500' };

export interface CorpusVersion {
  /** The collection it is ingested into (a Qdrant server is shared by a file's tests). */
  collection: string;
  version: number;
  path: string;
  texts: Map<string, string>;
}

/** Sentence counts per document; the default makes documents 0-2 long (past one 64-chunk job) in odd versions. */
export type Lengths = (doc: number, version: number) => number;
const defaultLengths: Lengths = (doc, version) => (doc < 3 ? (version % 2 === 1 ? 160 : 2) : 1 + ((doc * 7 + version * 3) % 4));

/** Version `version` of a corpus of `documents`: every sentence names the version, so no chunk of one version is text of another. */
export function writeCorpus(dir: string, collection: string, version: number, documents: number, lengths: Lengths = defaultLengths): CorpusVersion {
  const texts = new Map<string, string>();
  for (let doc = 0; doc < documents; doc++) {
    const sentences = Array.from({ length: lengths(doc, version) }, (_, s) => `[v${version}] note ${doc} line ${s} tells of rivers, ferries and the towns along them.`);
    texts.set(`n${doc}`, sentences.join(' '));
  }
  const path = join(dir, `${collection}-v${version}.jsonl`);
  writeFileSync(path, [...texts].map(([id, body]) => JSON.stringify({ id, body })).join('\n') + '\n');
  return { collection, version, path, texts };
}

export const ingestArgs = (corpus: CorpusVersion, extra: string[] = []) => [
  'ingest', corpus.path, '--collection', corpus.collection, '--text-field', 'body', '--id-field', 'id', '--chunk-tokens', '32', '--overlap', '4', '--json', '--no-progress', ...extra,
];

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
    const url = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
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
 * The store holds `corpus` exactly: the same documents, each with chunks 0..n-1 all carrying one
 * content hash that records n, every chunk's text a piece of this version's text. A document back
 * at an older version, or mixing two, is named in the failure.
 */
export async function assertStoreHolds(env: NodeJS.ProcessEnv, corpus: CorpusVersion): Promise<void> {
  const store = openStore({ dataDir: env.EMBEDLINE_DATA, qdrantUrl: env.QDRANT_URL });
  const byDocument = new Map<string, Chunk[]>();
  try {
    for await (const chunk of store.chunks(corpus.collection)) byDocument.set(chunk.documentId, [...(byDocument.get(chunk.documentId) ?? []), chunk]);
  } finally {
    await store.close();
  }
  const problems: string[] = [];
  let older = 0;
  let mixed = 0;
  for (const [id, text] of corpus.texts) {
    const chunks = (byDocument.get(id) ?? []).sort((a, b) => a.chunkIndex - b.chunkIndex);
    const current = chunks.filter((c) => text.includes(c.text)).length;
    if (chunks.length === 0) problems.push(`${id}: missing`);
    else if (current === 0) older++;
    else if (current < chunks.length) mixed++;
    const hashes = new Set(chunks.map((c) => c.contentHash));
    const count = Number([...hashes][0]?.split('.').pop());
    if (current === chunks.length && (hashes.size !== 1 || count !== chunks.length || chunks.some((c, i) => c.chunkIndex !== i))) {
      problems.push(`${id}: ${chunks.length} chunks, indices ${chunks.map((c) => c.chunkIndex).join(',')}, hashes ${[...hashes].join(' ')}`);
    }
  }
  const extra = [...byDocument.keys()].filter((id) => !corpus.texts.has(id));
  if (older > 0) problems.unshift(`${older} of ${corpus.texts.size} documents back at an older version`);
  if (mixed > 0) problems.unshift(`${mixed} documents mix chunks of two versions`);
  if (extra.length > 0) problems.push(`documents not in the corpus: ${extra.join(', ')}`);
  assert.deepEqual(problems, [], `the store must hold v${corpus.version} exactly`);
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
