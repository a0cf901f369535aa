// Ingest and reindex of one collection never interleave silently. A reindex builds the next
// version from what it reads; an ingest that wrote into the old version meanwhile was dropped with
// it at the switch (1,500 of 1,700 documents left, every command exit 0). Now each holds the
// collection (queue/collection-lease.ts): the one that comes second is refused with one line and
// exits non-zero, having changed nothing, and the same command run afterwards lands exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelChoice } from '../../src/core/model-choice.ts';
import { reindexCollection } from '../../src/core/run-reindex.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { claimCollection } from '../../src/queue/collection-lease.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { chooseStore } from '../../src/store/backends.ts';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('reindex-exclusion');
after(() => iso.cleanup());

const FIRST = 500;
const ADDED = 100;
const csvOf = (count: number) => ['id,body', ...Array.from({ length: count }, (_, i) => `r${i},"Record ${i}: an account of harbour ${i}, the ships that called there, the goods they carried, the merchants and dock workers who handled them, and how its trade grew and declined over two centuries."`)].join('\n') + '\n';
const first = join(iso.dir, 'first.csv');
const superset = join(iso.dir, 'superset.csv');
const ingestArgs = (file: string) => ['ingest', file, '--collection', 'notes', '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress'];

/** Where the CLI's runs take their holds (the same Redis, prefix and store identity). */
const place = () => ({ connection: redisOptionsFromUrl(iso.env.REDIS_URL!), prefix: iso.prefix, storeId: chooseStore({ dataDir: iso.dataDir }).place.id });

async function described() {
  const store = openLocalStore(iso.dataDir);
  try {
    const info = await store.describe('notes');
    return { points: info?.points, documents: info?.documents };
  } finally {
    await store.close();
  }
}

before(async () => {
  writeFileSync(first, csvOf(FIRST));
  writeFileSync(superset, csvOf(FIRST + ADDED));
  const r = await runCli(ingestArgs(first), { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
});

test('an ingest during a reindex is refused with one line; run after it, the store holds exactly the superset', { timeout: 300_000 }, async () => {
  // The reindex runs here, paused after its first batch (so its copy is surely under way) until
  // the ingest has run in another process.
  const embedder = await testEmbedder();
  let resume = () => {};
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  let batches = 0;
  const paused: Embedder = Object.assign(Object.create(embedder) as Embedder, {
    embed: async (...args: Parameters<Embedder['embed']>) => {
      if (batches++ === 1) await resumed;
      return embedder.embed(...args);
    },
  });
  const store = openLocalStore(iso.dataDir);
  const reindex = reindexCollection({ collection: 'notes', model: {} as ModelChoice, graceMs: 0 }, { store, lease: place(), loadEmbedder: async () => paused });
  try {
    while (batches < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    const during = await runCli(ingestArgs(superset), { env: iso.env });
    resume();
    await reindex;
    assert.notEqual(during.code, 0, `the ingest ran during the reindex: ${during.stdout}`);
    assert.equal(during.stderr.trim().split('\n').length, 1, during.stderr);
    const [busy] = cliErrors(during.stderr);
    assert.equal(busy?.code, 'COLLECTION_BUSY', during.stderr);
    assert.match(busy.message, /^"notes" is busy: a reindex \(pid \d+ on .+\); run this again once it has finished/);
    assert.deepEqual(await described(), { points: FIRST, documents: FIRST }, 'the refused ingest changed nothing');
  } finally {
    resume();
    await reindex.catch(() => undefined);
    await store.close();
  }
  const again = await runCli(ingestArgs(superset), { env: iso.env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout.trim().split('\n').pop()!).added, ADDED);
  assert.deepEqual(await described(), { points: FIRST + ADDED, documents: FIRST + ADDED }, 'no document of the ingest was lost');
});

test('a reindex while an ingest holds the collection is refused with one line; it runs once the ingest is over', { timeout: 300_000 }, async () => {
  const ingest = await claimCollection(place(), 'notes', 'run', 'an-ingest-run', 'an ingest');
  try {
    const refused = await runCli(['reindex', '--collection', 'notes', '--grace-seconds', '0'], { env: iso.env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr.trim(), /^error: "notes" is busy: an ingest \(pid \d+ on .+\); run this again once it has finished/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  } finally {
    await ingest.release();
  }
  const store = openLocalStore(iso.dataDir);
  const versionBefore = (await store.describe('notes'))?.version;
  await store.close();
  const r = await runCli(['reindex', '--collection', 'notes', '--grace-seconds', '0', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).previous, versionBefore);
});
