// Store identity: a worker on the same Redis and queue prefix but attached to another store (another
// EMBEDLINE_DATA here; another QDRANT_URL likewise) must not take the ingest's jobs into its own
// store. Jobs carry their store's identity; that worker refuses them loudly and the right worker
// (here the ingest's own) does them, so the intended store ends complete and the other one empty.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('store-identity');
after(() => iso.cleanup());

async function collectionNames(env: NodeJS.ProcessEnv): Promise<Array<{ name: string; points: number }>> {
  const r = await runCli(['collections', '--json'], { env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).collections;
}

test('a worker attached to another store refuses the jobs; the intended store gets every chunk', { timeout: 600_000 }, async () => {
  const corpus = join(iso.dir, 'corpus.csv');
  writeFileSync(corpus, ['id,body', ...Array.from({ length: 40 }, (_, i) => `r${i},"Record ${i} is about lighthouses and the keepers who lived in them on rocky coasts."`)].join('\n') + '\n');
  const otherEnv = { ...iso.env, EMBEDLINE_DATA: join(iso.dir, 'other-store') };
  const stranger = startCli(['worker'], { env: otherEnv, ready: /"event":"worker\.ready"/, timeoutMs: 120_000 });
  const ingest = ['ingest', corpus, '--collection', 'lighthouses', '--text-column', 'body', '--id-column', 'id', '--chunk-tokens', '32', '--overlap', '0', '--json', '--no-progress'];
  try {
    await stranger.ready;
    // Only the stranger serves the queue: it takes the jobs, and must refuse every one.
    const queued = await runCli([...ingest, '--workers', '0', '--no-wait'], { env: iso.env });
    assert.equal(queued.code, 0, queued.stderr);
    const deadline = Date.now() + 120_000;
    while (!/job is for store/.test(stranger.output().stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(stranger.output().stderr, /job is for store local:\S+ but this worker writes to local:\S+other-store/);
  } finally {
    stranger.child.kill('SIGTERM');
    await stranger.exited;
  }
  assert.deepEqual(await collectionNames(otherEnv), [], 'nothing was written to the other store');

  // The refused jobs wait out their backoff; a run with a worker of the right store finishes them, exact.
  const r = await runCli(ingest, { env: iso.env, timeoutMs: 400_000 });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(summary.lost, 0);
  assert.equal(summary.added, 40);
  assert.equal((await collectionNames(iso.env)).find((c) => c.name === 'lighthouses')?.points, 40);
});
