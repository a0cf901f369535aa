// A Qdrant cluster's collection settings: EMBEDLINE_QDRANT_SHARDS, …_REPLICATION_FACTOR and
// …_WRITE_CONSISTENCY reach the collection-creation request (checked by the stand-in against
// Qdrant's OpenAPI document), Qdrant records them, and `embedline collections` shows what it
// recorded; unset, the request carries none of them (Qdrant's defaults). A write consistency above
// the replication factor is refused at start, naming both variables.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { runCli } from '../support/run-cli.ts';
import { testSpec } from './store-fixtures.ts';

const iso = isolatedEnv('qdrant-placement');
let standin: QdrantStandin;

before(async () => {
  standin = await startQdrantStandin();
});
after(async () => {
  await standin?.stop();
  await iso.cleanup();
});

/** The create-collection requests the stand-in saw for `name`, with its verdict. */
async function createRequests(name: string) {
  return (await standin.requestLog()).filter((r) => r.method === 'PUT' && r.path === `/collections/${name}`);
}

test('the settings are read from the environment; more write confirmations than copies are refused in one line', () => {
  assert.deepEqual(loadConfig({}).qdrantPlacement, { shards: undefined, replicationFactor: undefined, writeConsistency: undefined });
  assert.deepEqual(loadConfig({ EMBEDLINE_QDRANT_SHARDS: '6', EMBEDLINE_QDRANT_REPLICATION_FACTOR: '3', EMBEDLINE_QDRANT_WRITE_CONSISTENCY: '2' }).qdrantPlacement, {
    shards: 6,
    replicationFactor: 3,
    writeConsistency: 2,
  });
  assert.throws(() => loadConfig({ EMBEDLINE_QDRANT_SHARDS: '0' }), /EMBEDLINE_QDRANT_SHARDS="0" must be a whole number from 1 to 1024/);
  assert.throws(
    () => loadConfig({ EMBEDLINE_QDRANT_REPLICATION_FACTOR: '2', EMBEDLINE_QDRANT_WRITE_CONSISTENCY: '3' }),
    (err: Error) => !err.message.includes('\n') && /EMBEDLINE_QDRANT_WRITE_CONSISTENCY="3" must be at most EMBEDLINE_QDRANT_REPLICATION_FACTOR \(2\)/.test(err.message),
  );
  assert.throws(() => loadConfig({ EMBEDLINE_QDRANT_WRITE_CONSISTENCY: '2' }), /at most EMBEDLINE_QDRANT_REPLICATION_FACTOR \(unset: 1\)/);
});

test('a store with placement settings creates collections with them; Qdrant records them and describe() reads them back', async () => {
  const store = openQdrantStore({ url: standin.url, placement: { shards: 3, replicationFactor: 2, writeConsistency: 2 } });
  const plain = openQdrantStore({ url: standin.url });
  try {
    await store.ensureCollection('placed', testSpec(4));
    await plain.ensureCollection('unplaced', testSpec(4));
    const [placed] = await createRequests('placed__v1');
    assert.deepEqual({ status: placed?.status, problems: placed?.problems }, { status: 200, problems: undefined }, 'the OpenAPI document accepts the request');
    const recorded = (await (await fetch(`${standin.url}/collections/placed__v1`)).json()) as { result: { config: { params: Record<string, unknown> } } };
    const { shard_number, replication_factor, write_consistency_factor } = recorded.result.config.params;
    assert.deepEqual({ shard_number, replication_factor, write_consistency_factor }, { shard_number: 3, replication_factor: 2, write_consistency_factor: 2 });
    assert.deepEqual((await store.describe('placed'))?.placement, { shards: 3, replicationFactor: 2, writeConsistency: 2 });
    assert.deepEqual((await plain.describe('unplaced'))?.placement, { shards: 1, replicationFactor: 1, writeConsistency: 1 }, "unset: Qdrant's defaults");
  } finally {
    await store.close();
    await plain.close();
  }
});

test('ingest with EMBEDLINE_QDRANT_* set creates the collection so; `collections` shows it', { timeout: 120_000 }, async () => {
  const csv = join(iso.dir, 'notes.csv');
  writeFileSync(csv, 'id,body\nn1,The sun fuses hydrogen into helium.\nn2,Violins have four strings.\n');
  const env = { ...iso.env, QDRANT_URL: standin.url, EMBEDLINE_QDRANT_SHARDS: '2', EMBEDLINE_QDRANT_REPLICATION_FACTOR: '3', EMBEDLINE_QDRANT_WRITE_CONSISTENCY: '2' };
  const ingest = await runCli(['ingest', csv, '--collection', 'sharded', '--text-column', 'body', '--id-column', 'id', '--no-progress'], { env, timeoutMs: 100_000 });
  assert.equal(ingest.code, 0, ingest.stderr);
  const [request] = await createRequests('sharded__v1');
  assert.equal(request?.status, 200, JSON.stringify(request));
  const listed = await runCli(['collections', '--json'], { env });
  assert.equal(listed.code, 0, listed.stderr);
  const sharded = (JSON.parse(listed.stdout) as { collections: Array<{ name: string; documents: number; placement?: unknown }> }).collections.find((c) => c.name === 'sharded');
  assert.deepEqual({ documents: sharded?.documents, placement: sharded?.placement }, { documents: 2, placement: { shards: 2, replicationFactor: 3, writeConsistency: 2 } });
  const table = await runCli(['collections'], { env });
  assert.match(table.stdout, /^name .* shards\n/m);
  assert.match(table.stdout, /sharded .*2 × 3 copies, writes 2/);
});
