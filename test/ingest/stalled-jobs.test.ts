// Issue 16.2: a worker killed with kill -9 while it holds jobs leaves them stalled; the next worker
// returns them to the queue. A stall is not the job's fault, so jobs that stalled again and again
// (three kills: one more than BullMQ's default allowance) must still be done, none in the failed
// set, and the store must end exact.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('stalled-jobs');
after(() => iso.cleanup());

const DOCUMENTS = 128;
const corpus = join(iso.dir, 'corpus.csv');
writeFileSync(
  corpus,
  ['id,body', ...Array.from({ length: DOCUMENTS }, (_, i) => `s${i},"${Array.from({ length: 12 }, (_, j) => `Sentence ${j} of record ${i} talks about rivers, bridges and the towns built along them.`).join(' ')}"`)].join('\n') + '\n',
);
const INGEST = ['ingest', corpus, '--collection', 'stalled', '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '128', '--overlap', '0', '--json', '--no-progress'];
/** Short locks so a killed worker's jobs come back within seconds. */
const workerEnv = { ...iso.env, EMBEDLINE_LOCK_DURATION_MS: '3000', EMBEDLINE_STALLED_INTERVAL_MS: '1000' };
const key = (name: string) => `${iso.prefix}:embed:${name}`;

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('jobs of a worker killed with kill -9 three times are redone, none dead-lettered, the store exact', { timeout: 900_000 }, async () => {
  const redis = new Redis(iso.env.REDIS_URL!);
  try {
    const queued = await runCli([...INGEST, '--workers', '0', '--no-wait'], { env: iso.env });
    assert.equal(queued.code, 0, queued.stderr);
    const chunks = JSON.parse(queued.stdout.trim().split('\n').pop()!).chunksQueued as number;
    assert.ok(chunks >= DOCUMENTS);

    const open = async () => (await redis.llen(key('wait'))) + (await redis.llen(key('active'))) + (await redis.zcard(key('delayed'))) + (await redis.zcard(key('prioritized')));
    let killsWhileActive = 0;
    for (let kill = 0; kill < 3; kill++) {
      const worker = startCli(['worker'], { env: workerEnv, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
      await worker.ready;
      // A lock key: this worker holds a job (a dead worker's jobs sit in active without one).
      const holding = async () => (await redis.keys(`${iso.prefix}:embed:*:lock`)).length > 0;
      await until('a job taken', async () => (await holding()) || (await open()) === 0, 120_000);
      if (await holding()) killsWhileActive++;
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    assert.ok(killsWhileActive >= 2, `workers were killed holding jobs (${killsWhileActive} of 3)`);

    const last = startCli(['worker'], { env: workerEnv, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
    try {
      await last.ready;
      await until('the queue drained', async () => (await open()) === 0, 600_000);
    } finally {
      last.child.kill('SIGTERM');
      await last.exited;
    }
    assert.equal(await redis.zcard(key('failed')), 0, 'no job went to the failed set');

    const listed = await runCli(['collections', '--json'], { env: iso.env });
    const points = (JSON.parse(listed.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === 'stalled')?.points;
    assert.equal(points, chunks);
    const again = await runCli([...INGEST, '--workers', '0', '--no-wait'], { env: iso.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout.trim().split('\n').pop()!).unchanged, DOCUMENTS);
  } finally {
    redis.disconnect();
  }
});
