import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { getSessionPool, MAX_DEFAULT_SESSIONS, sessionThreadLayout } from '../../src/embed/session.ts';
import { MODEL_DIR } from '../support/model.ts';

test('default layout: one single-threaded session per thread, up to the cap, then threads spread over the cap', () => {
  assert.deepEqual(sessionThreadLayout(1), [1]);
  assert.deepEqual(sessionThreadLayout(2), [1, 1]);
  assert.equal(sessionThreadLayout(MAX_DEFAULT_SESSIONS * 4).length, MAX_DEFAULT_SESSIONS);
  assert.ok(sessionThreadLayout(MAX_DEFAULT_SESSIONS * 4).every((t) => t === 4));
});

test('an explicit session count splits the threads with none left idle', () => {
  assert.deepEqual(sessionThreadLayout(2, 1), [2]);
  assert.deepEqual(sessionThreadLayout(6, 4), [2, 2, 1, 1]);
  assert.equal(sessionThreadLayout(7, 3).reduce((a, b) => a + b), 7);
  // More sessions than threads would oversubscribe: one thread each, no more sessions than threads.
  assert.deepEqual(sessionThreadLayout(2, 8), [1, 1]);
});

test('the embedder reads no environment: EMBEDLINE_SESSIONS reaches it only as an option (src/config.ts)', () => {
  const saved = process.env.EMBEDLINE_SESSIONS;
  process.env.EMBEDLINE_SESSIONS = '1';
  try {
    assert.deepEqual(sessionThreadLayout(4), [1, 1, 1, 1]);
    assert.deepEqual(sessionThreadLayout(4, 1), [4]);
  } finally {
    if (saved === undefined) delete process.env.EMBEDLINE_SESSIONS;
    else process.env.EMBEDLINE_SESSIONS = saved;
  }
});

test('requests that resolve to the same layout share one pool; another layout gets its own', async () => {
  const onnx = join(MODEL_DIR, 'model.onnx');
  const twoByOne = getSessionPool(onnx, { threads: 2, sessions: 2 });
  assert.equal(getSessionPool(onnx, { threads: 2, sessions: 8 }), twoByOne, 'capped at 2 sessions: the same layout');
  assert.notEqual(getSessionPool(onnx, { threads: 2, sessions: 1 }), twoByOne);
  assert.equal((await twoByOne).size, 2);
});
