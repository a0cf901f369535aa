// Issues 14 and 16.1: Redis dies in the middle of an ingest and comes back, empty (no persistence)
// or with its data (AOF). The run must never hang and never report chunks the store lacks: it
// queues again from the source what the store misses and ends exact, its summary agreeing with the
// store's point count, and a re-run finds every document complete (the state a clean run leaves).
// A Redis that does not come back stops the run with one line after EMBEDLINE_REDIS_OUTAGE_MS.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { privateRedis, type PrivateRedis } from '../support/private-redis.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('lost-queue');
after(() => iso.cleanup());

const DOCUMENTS = 300;
/** Two or three chunks per row at 32 tokens, so documents span jobs and a lost job leaves some partial. */
const csv = ['id,body']
  .concat(
    Array.from({ length: DOCUMENTS }, (_, i) => {
      const body = `Row ${i} describes item ${i * 7} of the catalogue: its colour, its weight of ${i % 13} kilograms, where it was made, and who bought it first in the year ${1900 + (i % 120)}. ${i % 3 === 0 ? 'It also has a long note about its repairs and the shops that handled them over the years.' : ''}`;
      return `d${i},"${body}"`;
    }),
  )
  .join('\n');
const corpus = join(iso.dir, 'corpus.csv');
writeFileSync(corpus, `${csv}\n`);

interface Summary {
  added: number;
  unchanged: number;
  repaired: number;
  chunks: number;
  chunksQueued: number;
  failedJobs: number;
  requeued: number | null;
  lost: number | null;
}

const lastJsonLine = (stdout: string): Summary => JSON.parse(stdout.trim().split('\n').pop()!);

async function storedPoints(collection: string): Promise<number> {
  const r = await runCli(['collections', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === collection)?.points ?? 0;
}

/** Resolves once the ingest's worker has completed at least one job: the run is under way. */
async function waitForCompletedJob(url: string, timeoutMs: number): Promise<void> {
  const redis = new Redis(url);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await redis.zcard(`${iso.prefix}:embed:completed`)) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no job completed within ${timeoutMs} ms`);
  } finally {
    redis.disconnect();
  }
}

async function ingestThroughRestart(collection: string, redis: PrivateRedis): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const env = { ...iso.env, REDIS_URL: redis.url };
  const args = ['ingest', corpus, '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '32', '--overlap', '0', '--json', '--no-progress'];
  await redis.start();
  const run = runCli(args, { env, timeoutMs: 600_000 });
  await waitForCompletedJob(redis.url, 300_000);
  await redis.crash();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  await redis.start();
  return run;
}

async function assertExactAndComplete(collection: string, result: Awaited<ReturnType<typeof ingestThroughRestart>>): Promise<Summary> {
  assert.equal(result.timedOut, false, `the ingest hung:\n${result.stderr.slice(-2000)}`);
  assert.equal(result.code, 0, result.stderr.slice(-2000));
  const summary = lastJsonLine(result.stdout);
  assert.equal(summary.added, DOCUMENTS);
  assert.equal(summary.lost, 0);
  assert.equal(summary.failedJobs, 0);
  // The summary says what the store holds, and the store holds every chunk once (content-derived point ids).
  assert.equal(summary.chunks, summary.chunksQueued);
  assert.equal(await storedPoints(collection), summary.chunks);
  // A clean run's state: every document complete with its current content, nothing to redo.
  const again = await runCli(['ingest', corpus, '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '32', '--overlap', '0', '--json', '--no-progress'], { env: { ...iso.env } });
  assert.equal(again.code, 0, again.stderr);
  const rerun = lastJsonLine(again.stdout);
  assert.deepEqual([rerun.unchanged, rerun.added, rerun.repaired, rerun.chunksQueued, rerun.requeued], [DOCUMENTS, 0, 0, 0, 0]);
  return summary;
}

test('Redis restarted EMPTY mid-ingest: the lost jobs are queued again from the source and the run ends exact', { timeout: 900_000 }, async () => {
  const redis = await privateRedis();
  try {
    const result = await ingestThroughRestart('restart-empty', redis);
    const summary = await assertExactAndComplete('restart-empty', result);
    assert.ok((summary.requeued ?? 0) > 0, `some documents were queued again: ${JSON.stringify(summary)}`);
  } finally {
    await redis.crash();
  }
});

test('Redis restarted WITH ITS DATA (AOF) mid-ingest: the run resumes, never hangs, and ends exact', { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-aof-'));
  const redis = await privateRedis(dir);
  try {
    await assertExactAndComplete('restart-aof', await ingestThroughRestart('restart-aof', redis));
  } finally {
    await redis.crash();
    rmSync(dir, { recursive: true, force: true });
  }
});

// --workers 0: external workers do the embedding; the producer's check is the same.
test('external workers (--workers 0): Redis restarted empty, the producer still ends exact', { timeout: 900_000 }, async () => {
  const redis = await privateRedis();
  const env = { ...iso.env, REDIS_URL: redis.url };
  await redis.start();
  const worker = startCli(['worker'], { env, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
  try {
    await worker.ready;
    const run = runCli(['ingest', corpus, '--collection', 'restart-external', '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '32', '--overlap', '0', '--workers', '0', '--json', '--no-progress'], { env, timeoutMs: 600_000 });
    await waitForCompletedJob(redis.url, 300_000);
    await redis.crash();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.start();
    const summary = await assertExactAndComplete('restart-external', await run);
    assert.ok((summary.requeued ?? 0) > 0, `some documents were queued again: ${JSON.stringify(summary)}`);
    // The worker lived through the restart and still stops when told to.
    worker.child.kill('SIGTERM');
    const exited = await Promise.race([worker.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000))]);
    assert.equal(exited, 0, worker.output().stderr.slice(-2000));
  } finally {
    worker.child.kill('SIGTERM');
    await redis.crash();
  }
});

test('Redis that does not come back: the ingest stops with one line after EMBEDLINE_REDIS_OUTAGE_MS; a re-run once it is back ends exact', { timeout: 900_000 }, async () => {
  const redis = await privateRedis();
  const env = { ...iso.env, REDIS_URL: redis.url, EMBEDLINE_REDIS_OUTAGE_MS: '4000' };
  const args = ['ingest', corpus, '--collection', 'restart-never', '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '32', '--overlap', '0', '--json', '--no-progress'];
  try {
    await redis.start();
    const run = runCli(args, { env, timeoutMs: 300_000 });
    await waitForCompletedJob(redis.url, 300_000);
    await redis.crash();
    const crashedAt = Date.now();
    const result = await run;
    const tookMs = Date.now() - crashedAt;
    assert.equal(result.timedOut, false, `the ingest hung:\n${result.stderr.slice(-2000)}`);
    assert.equal(result.code, 1, result.stderr.slice(-2000));
    // Four seconds of outage, then the in-process worker's close and the queue's are cut short.
    assert.ok(tookMs >= 4000 && tookMs < 40_000, `stopped ${tookMs} ms after Redis went away`);
    console.log(`# the ingest stopped ${tookMs} ms after Redis went away (EMBEDLINE_REDIS_OUTAGE_MS=4000)`);
    // --json: the one error is a {"error": …} line beside the JSON log lines.
    const errors = cliErrors(result.stderr);
    assert.equal(errors.length, 1, result.stderr);
    assert.match(errors[0].message, new RegExp(`^Redis at ${redis.url} has not answered for 4 s.*run the same command again.*EMBEDLINE_REDIS_OUTAGE_MS`));
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    // The stop still prints the run's summary (--json), with the documents the store lacks counted.
    const stopped = lastJsonLine(result.stdout);
    assert.equal(typeof stopped.lost, 'number', `a summary with lost: ${result.stdout}`);
    assert.ok(stopped.lost! > 0 && stopped.lost! <= DOCUMENTS, `lost ${stopped.lost} of ${DOCUMENTS}`);
    console.log(`# the stopped run's summary: lost ${stopped.lost} of ${DOCUMENTS}`);

    await redis.start();
    const again = await runCli(args, { env: { ...iso.env, REDIS_URL: redis.url }, timeoutMs: 300_000 });
    assert.equal(again.code, 0, again.stderr.slice(-2000));
    const rerun = lastJsonLine(again.stdout);
    assert.equal(rerun.lost, 0);
    assert.equal(rerun.unchanged + rerun.added + rerun.repaired, DOCUMENTS);
    // Every document complete with all its chunks: a third run has nothing to do.
    const third = lastJsonLine((await runCli(args, { env: { ...iso.env, REDIS_URL: redis.url } })).stdout);
    assert.deepEqual([third.unchanged, third.added, third.repaired, third.chunksQueued], [DOCUMENTS, 0, 0, 0]);
  } finally {
    await redis.crash();
  }
});
