// A failed job's reason carries its error's code (`CODE: message`), and only a known code is read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbedlineError } from '../../src/errors.ts';
import { failureCode, failureReason } from '../../src/queue/job-failure.ts';

test('the code written into a reason is the code read back', () => {
  const reason = failureReason(new EmbedlineError('STORE_UNAVAILABLE', 'Qdrant at http://q:6333 is unavailable: ECONNREFUSED'));
  assert.equal(reason, 'STORE_UNAVAILABLE: Qdrant at http://q:6333 is unavailable: ECONNREFUSED');
  assert.equal(failureCode(reason), 'STORE_UNAVAILABLE');
});

test('a reason without a known code has none', () => {
  assert.equal(failureCode(undefined), undefined);
  assert.equal(failureCode('TypeError: x is not a function'), undefined);
  assert.equal(failureCode('NOT_A_CODE: something'), undefined);
  assert.equal(failureCode('COLLECTION_MISMATCH'), undefined, 'a code alone, without the message separator');
});
