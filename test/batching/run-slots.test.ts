// Run slots (continuous batching): one queue, up to parallelRuns runs at once. What is checked: a
// lone item starts at once; items that queue while a run is in flight all go into the next run a
// slot takes, up to the token budget; several idle slots share a burst; fewer than MIN_BATCH items
// wait beside a run in flight (and, while the caller says it is busy, up to the linger); keys never
// mix; with batching off every item runs alone; a poison item fails alone; every caller gets its
// own item's output. Runs are gated by the test, so nothing depends on timing but the linger.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_BATCH, RunSlots, type RunSlotsOptions } from '../../src/batching/run-slots.ts';
import { EmbedlineError } from '../../src/errors.ts';

/** A run that records its batches and holds each until the test releases it. */
function gatedSlots(options: RunSlotsOptions) {
  const batches: Array<{ key: string; items: string[] }> = [];
  const gates: Array<() => void> = [];
  const run = async (key: string, items: string[]) => {
    batches.push({ key, items: [...items] });
    await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes('poison')) throw new EmbedlineError('TEXT_TOO_LONG', 'poison is too long');
    return items.map((item) => `${key}:${item}`);
  };
  /** Lets every run in flight finish, and the runs they start, until none is left. */
  const drain = async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.splice(0).forEach((open) => open());
    }
  };
  return { batches, slots: new RunSlots(run, options), drain };
}

const items = (n: number, prefix = 'q') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

test('a lone item starts at once', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true });
  const out = slots.submit('c', 'q1');
  assert.deepEqual(batches, [{ key: 'c', items: ['q1'] }], 'running before any timer could fire');
  await drain();
  assert.equal(await out, 'c:q1');
});

test('items that queue while the run is in flight all go into the next run, each getting its own output', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true });
  const all = items(12).map((q) => slots.submit('c', q));
  await drain();
  assert.deepEqual(await Promise.all(all), items(12).map((q) => `c:${q}`));
  assert.deepEqual(batches.map((b) => b.items.length), [1, 11]);
});

test('the token budget bounds a run: rows × the longest row', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true });
  const lengths = [5, 10, 10, 10, 30, 10, 10];
  const all = lengths.map((tokens, i) => slots.submit('c', `q${i}:${tokens}`, { tokens, budget: 40 }));
  await drain();
  await Promise.all(all);
  // q0 alone (it found the slot idle); then 4 rows of 10 = 40; q4 (30) would make 5 × 30: next run, with room for one row only.
  assert.deepEqual(batches.map((b) => b.items), [['q0:5'], ['q1:10', 'q2:10', 'q3:10', 'q5:10'], ['q4:30'], ['q6:10']]);
});

test('idle slots share a burst between them, and a freed slot takes everything waiting', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 2, batching: true });
  // The first item starts alone; the next MIN_BATCH - 1 wait beside it; one more makes a batch for the second slot.
  const all = items(MIN_BATCH + 1).map((q) => slots.submit('c', q));
  assert.deepEqual(batches.map((b) => b.items), [['q1'], items(MIN_BATCH).map((_, i) => `q${i + 2}`)]);
  const later = items(3, 'r').map((q) => slots.submit('c', q));
  assert.equal(batches.length, 2, 'three items beside two runs in flight wait');
  await drain();
  await Promise.all([...all, ...later]);
  assert.deepEqual(batches[2].items, ['r1', 'r2', 'r3'], 'the first slot to free took all three');
});

test('fewer than MIN_BATCH items wait beside a run in flight instead of taking the idle slot', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 2, batching: true });
  const all = items(MIN_BATCH).map((q) => slots.submit('c', q));
  assert.deepEqual(batches.map((b) => b.items.length), [1], 'one run in flight, the rest waiting');
  await drain();
  await Promise.all(all);
  assert.deepEqual(batches.map((b) => b.items.length), [1, MIN_BATCH - 1]);
});

test('with nothing in flight but the caller busy, a small batch lingers for company; not busy, it starts at once', async () => {
  let busy = true;
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true, lingerMs: 30, busy: () => busy });
  const first = slots.submit('c', 'q1');
  const second = slots.submit('c', 'q2');
  assert.equal(batches.length, 0, 'waiting for company');
  await new Promise((resolve) => setTimeout(resolve, 5));
  const third = slots.submit('c', 'q3');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(batches.map((b) => b.items), [['q1', 'q2', 'q3']], 'one run once the linger ended');
  await drain();
  await Promise.all([first, second, third]);
  busy = false;
  const alone = slots.submit('c', 'q4');
  assert.deepEqual(batches.at(-1)?.items, ['q4'], 'an idle caller does not wait');
  await drain();
  await alone;
});

test('items of different keys never share a run; each key keeps its arrival order', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true });
  const all = [slots.submit('a', 'q1'), slots.submit('a', 'q2'), slots.submit('b', 'q3'), slots.submit('a', 'q4'), slots.submit('b', 'q5')];
  await drain();
  assert.deepEqual(await Promise.all(all), ['a:q1', 'a:q2', 'b:q3', 'a:q4', 'b:q5']);
  assert.deepEqual(batches, [
    { key: 'a', items: ['q1'] },
    { key: 'a', items: ['q2', 'q4'] },
    { key: 'b', items: ['q3', 'q5'] },
  ]);
});

test('with batching off every item gets its own run', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 2, batching: false });
  const all = items(5).map((q) => slots.submit('c', q));
  await drain();
  assert.deepEqual(await Promise.all(all), items(5).map((q) => `c:${q}`));
  assert.deepEqual(batches.map((b) => b.items), items(5).map((q) => [q]));
});

test('a poison item in a shared run fails alone; the items beside it get their outputs', async () => {
  const { batches, slots, drain } = gatedSlots({ parallelRuns: 1, batching: true });
  const all = Promise.allSettled(['q1', 'q2', 'poison', 'q3'].map((q) => slots.submit('c', q)));
  await drain();
  const settled = await all;
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as EmbedlineError).code)), ['c:q1', 'c:q2', 'TEXT_TOO_LONG', 'c:q3']);
  assert.deepEqual(batches.map((b) => b.items), [['q1'], ['q2', 'poison', 'q3'], ['q2'], ['poison'], ['q3']]);
});
