// The server's bound on held work: at most `concurrency` tasks run, at most `maxQueued` wait (in
// arrival order), the rest are refused at once with a retryable OVERLOADED, and a failing task
// hands its slot on like a finishing one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbedlineError } from '../../src/errors.ts';
import { AdmissionQueue } from '../../src/search/admission-queue.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test('runs up to the limit, queues in order, refuses the rest, and hands slots on', async () => {
  const queue = new AdmissionQueue({ concurrency: 2, maxQueued: 2 });
  const gates = Array.from({ length: 4 }, gate);
  const started: number[] = [];
  const tasks = gates.map((g, i) =>
    queue.run(async () => {
      started.push(i);
      await g.opened;
      if (i === 0) throw new Error('task 0 fails');
      return i;
    }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(queue.load, { running: 2, waiting: 2 });

  await assert.rejects(
    queue.run(async () => 99),
    (err: unknown) => err instanceof EmbedlineError && err.code === 'OVERLOADED' && err.retryable,
  );

  gates[0].open();
  await assert.rejects(tasks[0], /task 0 fails/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [0, 1, 2], 'the first waiting task took the failed task’s slot');
  for (const g of gates) g.open();
  assert.deepEqual(await Promise.all(tasks.slice(1)), [1, 2, 3]);
  assert.deepEqual(queue.load, { running: 0, waiting: 0 });
});
