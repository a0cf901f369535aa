// Where the store is, as the commands show it: `collections` (text and JSON) and `migrate --help`
// take the kind, the folder and the kind choices from the backends table (store/backends.ts).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { kindChoices } from '../../src/store/backends.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('store-place');
after(() => iso.cleanup());

test('collections names the store it lists and where it is', async () => {
  const json = await runCli(['collections', '--json'], { env: iso.env });
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { store: { kind: 'local', where: iso.dataDir }, collections: [] });
  const text = await runCli(['collections'], { env: iso.env });
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.endsWith(`store: local at ${iso.dataDir}\n`), text.stdout);
});

test("migrate's help lists the kinds of the table", async () => {
  const help = await runCli(['migrate', '--help'], { env: iso.env });
  assert.equal(help.code, 0, help.stderr);
  assert.equal(kindChoices(), 'qdrant | local');
  const words = help.stdout.replace(/\s+/g, ' ');
  assert.match(words, /--to <store> qdrant \| local --from <store> qdrant \| local \(default: the configured store/);
  assert.match(words, /the stores: qdrant, Qdrant \(QDRANT_URL\); local, the embedded LanceDB store \(EMBEDLINE_DATA\)/);
});
