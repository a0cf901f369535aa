// The collection-name rule: what the user types may use all 128 characters (the stores' version
// suffix is theirs), and every refusal is one line that states the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCollectionName, checkPhysicalCollectionName, COLLECTION_NAME_RULE } from '../../src/contracts/collection-name.ts';

const refusal = (shown: string) => (err: unknown) => {
  assert.equal((err as { code?: string }).code, 'BAD_REQUEST');
  assert.equal((err as Error).message, `invalid collection name ${shown}: use ${COLLECTION_NAME_RULE}`);
  return true;
};

test('names of 1 to 128 allowed characters pass, and so do their versions', () => {
  for (const name of ['a', 'docs', 'Docs-2024_v.1', 'x'.repeat(128)]) assert.equal(checkCollectionName(name), name);
  assert.equal(checkPhysicalCollectionName(`${'x'.repeat(128)}__v12`), `${'x'.repeat(128)}__v12`);
});

test('traversal, spaces, unicode, a leading dot or dash, and over-long names are refused with the rule', () => {
  assert.throws(() => checkCollectionName('../escape'), refusal('"../escape"'));
  assert.throws(() => checkCollectionName('a..b'), refusal('"a..b"'));
  assert.throws(() => checkCollectionName('my docs'), refusal('"my docs"'));
  assert.throws(() => checkCollectionName('café'), refusal('"café"'));
  assert.throws(() => checkCollectionName('.hidden'), refusal('".hidden"'));
  assert.throws(() => checkCollectionName(''), refusal('""'));
  assert.throws(() => checkCollectionName('y'.repeat(300)), refusal(`"${'y'.repeat(40)}…" (300 characters)`));
  assert.throws(() => checkPhysicalCollectionName(`${'x'.repeat(129)}__v1`), refusal(`"${'x'.repeat(40)}…" (129 characters)`));
});
