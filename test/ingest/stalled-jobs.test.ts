// Stalled jobs: a worker killed with kill -9 while it holds a job leaves it stalled; the next worker
// returns it to the queue and BullMQ counts the stall. A stall is not the job's fault, so a job
// that stalled again and again must still be done. The corpus makes exactly one job, so every kill
// hits that same job: four kills give it a stall count of 4, past BullMQ's default allowance (1)
// and the 2 embedline used to set, which sent it to the failed set ("job stalled more than
// allowable limit") and lost its chunks. Now it must complete, the store exact.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MAX_STALLED_COUNT } from '../../src/queue/embed-job.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('stalled-jobs');
after(() => iso.cleanup());

const DOCUMENTS = 6; // about 12 chunks: one job (the first job of a run holds at most 16)
const KILLS = 4;
const corpus = join(iso.dir, 'corpus.csv');
writeFileSync(
  corpus,
  ['id,body', ...Array.from({ length: DOCUMENTS }, (_, i) => `s${i},"${Array.from({ length: 12 }, (_, j) => `Sentence ${j} of record ${i} talks about rivers, bridges and the towns built along them.`).join(' ')}"`)].join('\n') + '\n',
);
const INGEST = ['ingest', corpus, '--collection', 'stalled', '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '128', '--overlap', '0', '--json', '--no-progress'];
/** Short locks so a killed worker's job comes back within seconds. */
const workerEnv = { ...iso.env, EMBEDLINE_LOCK_DURATION_MS: '3000', EMBEDLINE_STALLED_INTERVAL_MS: '1000' };
const key = (name: string) => `${iso.prefix}:embed:${name}`;

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test(`one job whose worker is killed with kill -9 ${KILLS} times is redone, not dead-lettered, the store exact`, { timeout: 900_000 }, async () => {
  assert.ok(KILLS > 2 && KILLS < MAX_STALLED_COUNT, 'the kills exceed the old allowance and stay within the new one');
  const redis = new Redis(iso.env.REDIS_URL!);
  try {
    const queued = await runCli([...INGEST, '--workers', '0', '--no-wait'], { env: iso.env });
    assert.equal(queued.code, 0, queued.stderr);
    const summary = JSON.parse(queued.stdout.trim().split('\n').pop()!) as { chunksQueued: number; jobs: number };
    assert.equal(summary.jobs, 1, 'the corpus fits one job, so every kill hits it');
    assert.ok(summary.chunksQueued > DOCUMENTS);
    const [jobId] = await redis.lrange(key('wait'), 0, -1);
    assert.ok(jobId, 'the job is waiting');

    // The job's lock key holds the token of the worker that has the job. A killed worker's lock
    // outlives it by up to the lock duration, so "taken" means a lock with a token not seen before:
    // the new worker really holds the job (after the stalled check moved it back to wait).
    const seenTokens = new Set<string>();
    let token: string | null = null;
    const held = async () => {
      token = await redis.get(key(`${jobId}:lock`));
      return token !== null && !seenTokens.has(token);
    };
    const failed = async () => (await redis.zscore(key('failed'), jobId)) !== null;
    for (let kill = 0; kill < KILLS; kill++) {
      const worker = startCli(['worker'], { env: workerEnv, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
      try {
        await worker.ready;
        // A dead-lettered job is never taken again: stop waiting at once and say why.
        await until(`kill ${kill + 1}: the job taken`, async () => (await held()) || (await failed()), 120_000);
        assert.equal(await failed(), false, `after ${kill} stalls the job went to the failed set: ${await redis.hget(key(jobId), 'failedReason')}`);
        seenTokens.add(token!);
      } finally {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
      assert.equal(await redis.hget(key(jobId), 'finishedOn'), null, `kill ${kill + 1} came before the job finished`);
    }

    const last = startCli(['worker'], { env: workerEnv, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
    try {
      await last.ready;
      await until('the job finished', async () => (await redis.hget(key(jobId), 'finishedOn')) !== null, 600_000);
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
    assert.equal(await redis.zcard(key('failed')), 0, 'no job went to the failed set');
    assert.equal(await redis.zscore(key('completed'), jobId) !== null, true, 'the job completed');
    assert.equal(Number(await redis.hget(key(jobId), 'stc')), KILLS, `BullMQ counted ${KILLS} stalls of the job`);

    const listed = await runCli(['collections', '--json'], { env: iso.env });
    const points = (JSON.parse(listed.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === 'stalled')?.points;
    assert.equal(points, summary.chunksQueued);
    const again = await runCli([...INGEST, '--workers', '0', '--no-wait'], { env: iso.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout.trim().split('\n').pop()!).unchanged, DOCUMENTS);
  } finally {
    redis.disconnect();
  }
});
