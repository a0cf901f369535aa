// Leftover jobs: jobs left in the queue by an ingest that never finished (here: queued for external
// workers that never came) belong to that run. The next `ingest` of another collection runs its own
// worker, which serves only its own jobs: it finishes without embedding the leftovers, which stay
// queued (reported by `status`) for `embedline worker` or a re-run.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('leftover-jobs');
after(() => iso.cleanup());

const csv = (rows: number, topic: string) =>
  ['id,body', ...Array.from({ length: rows }, (_, i) => `${topic}${i},"Entry ${i} on ${topic}: how it started, who was involved, and what changed over the following decades."`)].join('\n') + '\n';

async function pointsOf(collection: string): Promise<number | undefined> {
  const r = await runCli(['collections', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout).collections as Array<{ name: string; points: number }>).find((c) => c.name === collection)?.points;
}

test("an ingest's own worker leaves another run's jobs alone; status reports them", { timeout: 600_000 }, async () => {
  const old = join(iso.dir, 'old.csv');
  const small = join(iso.dir, 'small.csv');
  writeFileSync(old, csv(300, 'canals'));
  writeFileSync(small, csv(2, 'kites'));
  const args = (file: string, collection: string) => ['ingest', file, '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress'];

  const leftover = await runCli([...args(old, 'old'), '--workers', '0', '--no-wait'], { env: iso.env });
  assert.equal(leftover.code, 0, leftover.stderr);
  const leftoverJobs = JSON.parse(leftover.stdout.trim().split('\n').pop()!).jobs as number;
  assert.ok(leftoverJobs >= 2);

  const run = await runCli(args(small, 'new'), { env: iso.env, timeoutMs: 300_000 });
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.deepEqual([summary.added, summary.lost, summary.chunks], [2, 0, 2]);
  assert.equal(await pointsOf('new'), 2);
  assert.equal(await pointsOf('old'), 0, "the other run's jobs were not embedded");

  const status = await runCli(['status', '--json'], { env: iso.env });
  assert.equal(status.code, 0, status.stderr);
  const queue = JSON.parse(status.stdout).queue as { waiting: number; delayed: number; completed: number };
  assert.equal(queue.waiting + queue.delayed, leftoverJobs, 'the leftovers are still queued, and reported');
});
