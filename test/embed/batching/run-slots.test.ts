// Run slots: one item per caller, up to parallelRuns batches at once. What is checked: items that
// queue behind a busy slot share its next run, a lone item never waits for the window, a window of
// 0 gives each item its own run, keys never mix, a busy slot is bypassed for an idle one, and every
// caller gets its own item's output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunSlots } from '../../../src/embed/batching/run-slots.ts';
import { EmbedlineError } from '../../../src/errors.ts';

/** A run that records its batches and holds each until released (gated) or answers at once. */
function gatedRun(gated: boolean) {
  const batches: Array<{ key: string; items: string[] }> = [];
  const gates: Array<() => void> = [];
  const run = async (key: string, items: string[]) => {
    batches.push({ key, items: [...items] });
    if (gated) await new Promise<void>((resolve) => gates.push(resolve));
    if (items.includes('poison')) throw new EmbedlineError('TEXT_TOO_LONG', 'poison is too long');
    return items.map((item) => `${key}:${item}`);
  };
  const releaseAll = () => gates.splice(0).forEach((open) => open());
  return { batches, run, releaseAll };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 15));

test('a lone item starts at once, even with a long window', async () => {
  const { batches, run } = gatedRun(false);
  const slots = new RunSlots(run, { windowMs: 5_000, parallelRuns: 1 });
  const started = performance.now();
  assert.equal(await slots.submit('c', 'q1'), 'c:q1');
  assert.ok(performance.now() - started < 1_000);
  assert.deepEqual(batches, [{ key: 'c', items: ['q1'] }]);
});

test('items that queue behind a busy slot run together in its next batch, each getting its own output', async () => {
  const { batches, run, releaseAll } = gatedRun(true);
  const slots = new RunSlots(run, { windowMs: 5, parallelRuns: 1 });
  const first = slots.submit('c', 'q1');
  await tick();
  const later = ['q2', 'q3', 'q4'].map((q) => slots.submit('c', q));
  await tick();
  releaseAll();
  await tick();
  releaseAll();
  assert.deepEqual(await Promise.all([first, ...later]), ['c:q1', 'c:q2', 'c:q3', 'c:q4']);
  assert.deepEqual(batches.map((b) => b.items), [['q1'], ['q2', 'q3', 'q4']]);
});

test('with two slots, an item that finds one busy goes to the idle one instead of waiting', async () => {
  const { batches, run, releaseAll } = gatedRun(true);
  const slots = new RunSlots(run, { windowMs: 5, parallelRuns: 2 });
  const first = slots.submit('c', 'q1');
  await tick();
  const second = slots.submit('c', 'q2');
  await tick();
  assert.deepEqual(batches.map((b) => b.items), [['q1'], ['q2']], 'both runs in flight at once');
  releaseAll();
  assert.deepEqual(await Promise.all([first, second]), ['c:q1', 'c:q2']);
});

/** One run slot, busy with `q1` of `key` (gated), so the items submitted next wait together in the window. */
async function busySlot(key: string) {
  const gated = gatedRun(true);
  const slots = new RunSlots(gated.run, { windowMs: 5, parallelRuns: 1 });
  const first = slots.submit(key, 'q1');
  await tick();
  return { ...gated, slots, first };
}

test('items of different keys never share a run', async () => {
  const { batches, releaseAll, slots, first } = await busySlot('a');
  const queued = [slots.submit('a', 'q2'), slots.submit('b', 'q3'), slots.submit('a', 'q4')];
  for (let i = 0; i < 3; i++) {
    await tick();
    releaseAll();
  }
  assert.deepEqual(await Promise.all([first, ...queued]), ['a:q1', 'a:q2', 'b:q3', 'a:q4']);
  assert.deepEqual(batches, [
    { key: 'a', items: ['q1'] },
    { key: 'a', items: ['q2', 'q4'] },
    { key: 'b', items: ['q3'] },
  ]);
});

test('a window of 0 turns batching off: every item gets its own run at once', async () => {
  const { batches, run } = gatedRun(false);
  const slots = new RunSlots(run, { windowMs: 0, parallelRuns: 2 });
  assert.deepEqual(await Promise.all(['q1', 'q2', 'q3'].map((q) => slots.submit('c', q))), ['c:q1', 'c:q2', 'c:q3']);
  assert.deepEqual(batches.map((b) => b.items), [['q1'], ['q2'], ['q3']]);
});

test('a poison item in a shared run fails alone; the items beside it get their outputs', async () => {
  const { batches, releaseAll, slots, first } = await busySlot('c');
  const queued = [slots.submit('c', 'q2'), slots.submit('c', 'poison'), slots.submit('c', 'q3')];
  const settling = Promise.allSettled([first, ...queued]);
  for (let i = 0; i < 5; i++) {
    await tick();
    releaseAll();
  }
  const settled = await settling;
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as EmbedlineError).code)), ['c:q1', 'c:q2', 'TEXT_TOO_LONG', 'c:q3']);
  assert.deepEqual(batches.map((b) => b.items), [['q1'], ['q2', 'poison', 'q3'], ['q2'], ['poison'], ['q3']]);
});
