// The coalescer merges concurrent requests into one call and owns no retries: a retryable failure
// fails the whole round at once (BullMQ retries the jobs), a final failure re-runs the requests one
// by one so a single poison request fails alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Coalescer } from '../../src/batching/coalescer.ts';
import { EmbedlineError } from '../../src/errors.ts';

/** A run function that records every call's key and items, doubling numbers, failing as `fail` says. */
function recordingRun(fail: (items: number[]) => EmbedlineError | undefined = () => undefined) {
  const calls: Array<{ key: string; items: number[] }> = [];
  const run = async (key: string, items: number[]): Promise<number[]> => {
    calls.push({ key, items: [...items] });
    const err = fail(items);
    if (err) throw err;
    return items.map((n) => n * 2);
  };
  return { calls, run };
}

const WINDOW = { windowMs: 20, maxItems: 100 };

test('requests that arrive together share one call per key, and each gets its own outputs in order', async () => {
  const { calls, run } = recordingRun();
  const coalescer = new Coalescer(run, WINDOW);
  const results = await Promise.all([coalescer.submit('a', [1, 2]), coalescer.submit('b', [10]), coalescer.submit('a', [3]), coalescer.submit('a', [4, 5])]);
  assert.deepEqual(results, [[2, 4], [20], [6], [8, 10]]);
  assert.deepEqual(calls, [
    { key: 'a', items: [1, 2, 3, 4, 5] },
    { key: 'b', items: [10] },
  ]);
});

test('a round closes at maxItems: the next request waits for the following call', async () => {
  const { calls, run } = recordingRun();
  const coalescer = new Coalescer(run, { windowMs: 20, maxItems: 3 });
  await Promise.all([coalescer.submit('a', [1, 2]), coalescer.submit('a', [3, 4])]);
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1, 2], [3, 4]],
  );
});

test('a final error isolates the poison request: the others succeed, only it fails', async () => {
  const poison = new EmbedlineError('TEXT_TOO_LONG', 'item 13 is too long');
  const { calls, run } = recordingRun((items) => (items.includes(13) ? poison : undefined));
  const coalescer = new Coalescer(run, WINDOW);
  const settled = await Promise.allSettled([coalescer.submit('a', [1]), coalescer.submit('a', [13, 2]), coalescer.submit('a', [3])]);
  assert.deepEqual(settled[0], { status: 'fulfilled', value: [2] });
  assert.deepEqual(settled[1], { status: 'rejected', reason: poison });
  assert.deepEqual(settled[2], { status: 'fulfilled', value: [6] });
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1, 13, 2, 3], [1], [13, 2], [3]],
    'one merged call, then each request alone',
  );
});

test('a retryable error fails every request of the round at once, with no call repeated', async () => {
  const down = new EmbedlineError('STORE_UNAVAILABLE', 'store is down', { retryable: true });
  const { calls, run } = recordingRun(() => down);
  const coalescer = new Coalescer(run, WINDOW);
  const settled = await Promise.allSettled([coalescer.submit('a', [1]), coalescer.submit('a', [2]), coalescer.submit('a', [3])]);
  assert.deepEqual(
    settled.map((s) => (s.status === 'rejected' ? s.reason : s.value)),
    [down, down, down],
  );
  assert.equal(calls.length, 1, 'the merged call only: retries belong to the queue');
});

test('while isolating, a retryable error ends the round: the requests not yet tried fail with it untried', async () => {
  const poison = new EmbedlineError('STORE_REJECTED', 'point 13 refused');
  const down = new EmbedlineError('STORE_UNAVAILABLE', 'store went down', { retryable: true });
  const { calls, run } = recordingRun((items) => (items.length > 1 ? poison : items[0] === 2 ? down : undefined));
  const coalescer = new Coalescer(run, WINDOW);
  const settled = await Promise.allSettled([coalescer.submit('a', [1]), coalescer.submit('a', [2]), coalescer.submit('a', [3])]);
  assert.deepEqual(
    settled.map((s) => (s.status === 'rejected' ? s.reason : s.value)),
    [[2], down, down],
  );
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1, 2, 3], [1], [2]],
  );
});

test('requests submitted while a call runs go together into the next call', async () => {
  const { calls, run } = recordingRun();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const coalescer = new Coalescer(async (key: string, items: number[]) => {
    if (calls.length === 0) await gate;
    return run(key, items);
  }, WINDOW);
  const first = coalescer.submit('a', [1], { immediate: true });
  const later = [coalescer.submit('a', [2]), coalescer.submit('a', [3])];
  release();
  assert.deepEqual(await Promise.all([first, ...later]), [[2], [4], [6]]);
  assert.deepEqual(
    calls.map((c) => c.items),
    [[1], [2, 3]],
  );
});

test('a request alone waits the window for company; one arriving within it joins the same call', async () => {
  const { calls, run } = recordingRun();
  const coalescer = new Coalescer(run, { windowMs: 80, maxItems: 100 });
  const started = performance.now();
  const first = coalescer.submit('a', [1]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const second = coalescer.submit('a', [2]);
  assert.deepEqual(await Promise.all([first, second]), [[2], [4]]);
  const waited = performance.now() - started;
  assert.ok(waited >= 70, `the call started after the window, not at once (${waited.toFixed(0)} ms)`);
  assert.deepEqual(calls.map((c) => c.items), [[1, 2]]);
});

test('immediate skips the window on an idle coalescer; reaching maxItems closes a window early', async () => {
  const { calls, run } = recordingRun();
  const coalescer = new Coalescer(run, { windowMs: 5_000, maxItems: 3 });
  const started = performance.now();
  assert.deepEqual(await coalescer.submit('a', [1], { immediate: true }), [2]);
  assert.deepEqual(await Promise.all([coalescer.submit('a', [2, 3]), coalescer.submit('a', [4])]), [[4, 6], [8]]);
  assert.ok(performance.now() - started < 1_000, 'neither call waited for the 5 s window');
  assert.deepEqual(calls.map((c) => c.items), [[1], [2, 3, 4]]);
});

test('a request after a round is over opens a new window and a new call', async () => {
  const { calls, run } = recordingRun();
  const coalescer = new Coalescer(run, { windowMs: 5, maxItems: 100 });
  assert.deepEqual(await coalescer.submit('a', [1]), [2]);
  assert.deepEqual(await coalescer.submit('a', [2]), [4]);
  assert.deepEqual(calls.map((c) => c.items), [[1], [2]]);
});

test('outputs are handed out by position: each request gets its own items\' outputs, in its order', async () => {
  const coalescer = new Coalescer(async (_key: string, items: number[]) => items.map((n) => `out-${n}`), WINDOW);
  const results = await Promise.all([coalescer.submit('a', [5, 6, 7]), coalescer.submit('a', [8]), coalescer.submit('a', [9, 10])]);
  assert.deepEqual(results, [['out-5', 'out-6', 'out-7'], ['out-8'], ['out-9', 'out-10']]);
});

test('with concurrency 2 a second round starts while the first runs, and the first answers first', async () => {
  for (const concurrency of [1, 2]) {
    let running = 0;
    let most = 0;
    const answered: number[] = [];
    const coalescer = new Coalescer(
      async (_key: string, items: number[]) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, items[0] === 1 ? 60 : 120));
        running--;
        return items;
      },
      { windowMs: 1, maxItems: 2, concurrency },
    );
    await Promise.all([1, 3].map((first) => coalescer.submit('a', [first, first + 1]).then(() => answered.push(first))));
    assert.equal(most, concurrency, `concurrency ${concurrency}: rounds at once`);
    assert.deepEqual(answered, [1, 3]);
  }
});
