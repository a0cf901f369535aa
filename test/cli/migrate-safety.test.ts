// `embedline migrate` never serves a partial or unverified copy, and ties do not fail it. A
// collection where every text appears three times (every search meets tied scores) is ingested by
// the real CLI into the embedded store and migrated to the Qdrant stand-in:
//   - tied scores: the two stores may order equal scores differently; the check used to compare
//     ids rank by rank and failed every time ("run it again");
//   - interrupted: killed after its first batch, the migrate used to leave the name served with a
//     fraction of the points (the alias was set before any point was copied). Now the name is not
//     served until the copy verified; the killed run's claim lapses, and the re-run resumes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { BIN, PROJECT_ROOT, runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('migrate-safety');
let standin: QdrantStandin;
let qdrant: VectorStore;
const TOPICS = ['tidal energy', 'medieval castles', 'coral reefs', 'jazz harmony', 'volcanic soil', 'chess openings', 'bee colonies', 'desert trains', 'glass blowing', 'river deltas'];
const COPIES = 3;

before(async () => {
  const rows = TOPICS.flatMap((topic, t) => Array.from({ length: COPIES }, (_, c) => `d${t}-${c},"A short note on ${topic}, how it works and why people care about it."`));
  const csv = join(iso.dir, 'twins.csv');
  writeFileSync(csv, ['id,body', ...rows].join('\n') + '\n');
  for (const collection of ['ties', 'cut']) {
    const r = await runCli(['ingest', csv, '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress'], { env: iso.env });
    assert.equal(r.code, 0, r.stderr);
  }
  standin = await startQdrantStandin();
  Object.assign(iso.env, { QDRANT_URL: standin.url });
  qdrant = openQdrantStore({ url: standin.url });
});
after(async () => {
  await qdrant?.close();
  await standin?.stop();
  await iso.cleanup();
});

const migrate = (collection: string, extra: string[] = []) => runCli(['migrate', '--collection', collection, '--to', 'qdrant', '--json', ...extra], { env: iso.env });

test('identical texts (tied scores) do not fail the check', async () => {
  const r = await migrate('ties');
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual([result.targetPoints, result.identicalSearches, result.activated], [TOPICS.length * COPIES, result.sampleSearches, true]);
  assert.equal((await qdrant.describe('ties'))?.points, TOPICS.length * COPIES);
});

test('a migrate killed after its first batch serves nothing under the name; the re-run resumes and serves it all', { timeout: 120_000 }, async () => {
  // One point per write; killed as soon as the first is written.
  const child = spawn(process.execPath, [BIN, 'migrate', '--collection', 'cut', '--to', 'qdrant', '--batch', '1'], { cwd: PROJECT_ROOT, env: { ...process.env, ...iso.env } });
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.includes('"migrate.progress"')) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`migrate ended before it was killed: ${stderr}`)));
  });
  await new Promise((resolve) => child.once('close', resolve));
  const copies = (await qdrant.versions('cut')).length;
  assert.equal(copies, 1, 'the killed run had started its copy');
  assert.equal(await qdrant.describe('cut'), undefined, 'the partial copy is not served under the name');

  // The killed holder's claim on the collection lapses within the lease's life; until then a
  // re-run is refused with one line.
  let again = await migrate('cut');
  const started = Date.now();
  while (again.code !== 0 && Date.now() - started < 60_000) {
    assert.match(cliErrors(again.stderr)[0]?.message ?? again.stderr, /^"cut" is busy: a migrate local → qdrant \(pid \d+ on .+\); run this again once it has finished/);
    assert.equal(again.stderr.trim().split('\n').length, 1, again.stderr);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    again = await migrate('cut');
  }
  assert.equal(again.code, 0, again.stderr);
  const result = JSON.parse(again.stdout);
  assert.equal(result.activated, true);
  assert.deepEqual(await qdrant.versions('cut'), [result.version], 'resumed into the interrupted copy');
  assert.equal((await qdrant.describe('cut'))?.points, TOPICS.length * COPIES);
});
