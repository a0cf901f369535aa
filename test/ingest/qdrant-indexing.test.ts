// After a load, a real Qdrant builds its HNSW index in the background. The stand-in's collections
// report status yellow ("optimizing") here, as Qdrant's do meanwhile: `ingest` says the collection is
// searchable but still being indexed, and `collections` / `status` show that state, not "ready".
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('qdrant-indexing');
let standin: QdrantStandin;
let env: NodeJS.ProcessEnv;

before(async () => {
  standin = await startQdrantStandin({ collectionStatus: 'yellow' });
  env = { ...iso.env, QDRANT_URL: standin.url };
});
after(async () => {
  await standin?.stop();
  await iso.cleanup();
});

test('ingest, collections and status say the index is still being built', async () => {
  const csv = join(iso.dir, 'notes.csv');
  writeFileSync(csv, 'id,body\nn1,Glaciers carve valleys as they flow.\nn2,Bread rises as yeast ferments the dough.\n');
  const ingest = await runCli(['ingest', csv, '--collection', 'notes', '--text-column', 'body', '--id-column', 'id', '--no-progress'], { env });
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stdout, /note: notes is searchable now, but Qdrant is still building its vector index in the background \(optimizing \(\d+\/2 vectors indexed\)\)/);

  const collections = await runCli(['collections', '--json'], { env });
  assert.equal(collections.code, 0, collections.stderr);
  assert.match(JSON.parse(collections.stdout).collections[0].index, /^optimizing/);
  const table = await runCli(['collections'], { env });
  assert.match(table.stdout, /^notes\s.*\soptimizing \(\d+\/2 vectors indexed\)(\s|$)/m);
  const status = await runCli(['status', '--json'], { env });
  assert.equal(status.code, 0, status.stderr);
  assert.match(JSON.parse(status.stdout).collections[0].index, /^optimizing/);
});
