// A session thread that dies is replaced: the batch it was running fails as retryable
// INFERENCE_INTERRUPTED, batches waiting behind it still run, and later batches succeed on the
// replacement with the same results as before. Real model, real worker threads, one made to crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SessionPool, type Int64Feed } from '../../src/embed/session.ts';
import { isEmbedlineError } from '../../src/errors.ts';
import { MODEL_DIR } from '../support/model.ts';

const ONNX = join(MODEL_DIR, 'model.onnx');
const ROWS = 16;
const SEQ = 128;

/** One batch big enough to take a while: ROWS rows of SEQ tokens (ids within the vocabulary). */
function feeds(inputNames: readonly string[]): Record<string, Int64Feed> {
  const dims = [ROWS, SEQ];
  const ids = BigInt64Array.from({ length: ROWS * SEQ }, (_, i) => BigInt(1000 + ((i * 7) % 5000)));
  const all: Record<string, Int64Feed> = {
    input_ids: { type: 'int64', data: ids, dims },
    attention_mask: { type: 'int64', data: new BigInt64Array(ROWS * SEQ).fill(1n), dims },
    token_type_ids: { type: 'int64', data: new BigInt64Array(ROWS * SEQ), dims },
  };
  return Object.fromEntries(inputNames.map((name) => [name, all[name]]));
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function assertInterrupted(reason: unknown): void {
  assert.ok(isEmbedlineError(reason), `an EmbedlineError, got ${String(reason)}`);
  assert.equal(reason.code, 'INFERENCE_INTERRUPTED');
  assert.equal(reason.retryable, true);
  assert.match(reason.message, /inference thread running this batch stopped .*being replaced/);
}

test('a session thread that dies with a batch: that batch fails retryably, the others finish, the thread is replaced', async () => {
  const pool = await SessionPool.create(ONNX, [1, 1]);
  const before = pool.threadIds;
  const input = feeds(pool.inputNames);
  const killed = pool.killThread();
  const runs = Array.from({ length: 6 }, () => pool.run(input, 'last_hidden_state'));
  await killed;
  const settled = await Promise.allSettled(runs);

  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  const done = settled.filter((s): s is PromiseFulfilledResult<Float32Array> => s.status === 'fulfilled');
  assert.equal(failed.length, 1, 'only the batch the dead thread was running fails');
  assertInterrupted(failed[0].reason);
  assert.equal(done.length, 5);
  for (const d of done) assert.equal(d.value.length, ROWS * SEQ * 384);

  await until('the replacement thread', () => pool.size === 2);
  const after = pool.threadIds;
  assert.equal(after.filter((id) => before.includes(id)).length, 1, 'one original thread survives');
  assert.equal(after.filter((id) => !before.includes(id)).length, 1, 'one new thread replaced the dead one');

  const again = await Promise.all([pool.run(input, 'last_hidden_state'), pool.run(input, 'last_hidden_state')]);
  for (const output of again) assert.deepEqual(output, done[0].value, 'the replacement computes the same as before');
});

test('the only session thread killed: the waiting batches run on its replacement instead of hanging', async () => {
  const pool = await SessionPool.create(ONNX, [1]);
  const [before] = pool.threadIds;
  const input = feeds(pool.inputNames);
  const killed = pool.killThread();
  const runs = Array.from({ length: 3 }, () => pool.run(input, 'last_hidden_state'));
  await killed;
  assert.equal(pool.size, 0, 'dead and not yet replaced');
  const settled = await Promise.allSettled(runs);

  assert.equal(settled[0].status, 'rejected');
  assertInterrupted((settled[0] as PromiseRejectedResult).reason);
  assert.deepEqual(
    settled.slice(1).map((s) => s.status),
    ['fulfilled', 'fulfilled'],
    'the two waiting batches ran on the replacement',
  );
  assert.equal(pool.size, 1);
  assert.notEqual(pool.threadIds[0], before);
});
