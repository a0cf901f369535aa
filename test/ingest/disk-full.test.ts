// The disk filling up during an ingest (a 3 MB tmpfs as the data folder, mostly taken by a filler
// file): the run ends with exit 1 and one line naming the cause, "the disk is full", with no Rust
// source paths of Lance's build machine in it (it printed `LanceError(IO) …
// /usr/local/cargo/registry/…/writer.rs:362:9`), and `--json` still prints the run's summary with
// `lost` (it printed nothing). Mounting needs root and CAP_SYS_ADMIN: the test skips without them,
// and always unmounts what it mounted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('disk-full');
const mountPoint = join(iso.dir, 'small-disk');
let mounted = false;

after(async () => {
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  await iso.cleanup();
});

const DOCUMENTS = 200;
const WORDS = 'the quick brown fox jumps over lazy dog while stars produce energy in their cores through fusion of hydrogen'.split(' ');

test('disk full mid-ingest: exit 1, one line naming the full disk, and the --json summary with lost', { timeout: 400_000 }, async (t) => {
  mkdirSync(mountPoint, { recursive: true });
  if (process.getuid?.() !== 0 || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint]).status !== 0) {
    return t.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)');
  }
  mounted = true;
  // ~470 KB left: the first writes fit, the rest of the run's writes or its optimize do not.
  writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(2600 * 1024));
  const rows = Array.from({ length: DOCUMENTS }, (_, i) => `d${i},"${Array.from({ length: 150 }, (_, j) => WORDS[(i * 13 + j * 7) % WORDS.length] + (j % 17 === 0 ? i : '')).join(' ')}"`);
  const csv = join(iso.dir, 'corpus.csv');
  writeFileSync(csv, ['id,body', ...rows].join('\n') + '\n');

  const result = await runCli(['ingest', csv, '--collection', 'full', '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress'], {
    env: { ...iso.env, EMBEDLINE_DATA: join(mountPoint, 'data') },
    timeoutMs: 360_000,
  });

  assert.equal(result.timedOut, false, result.stderr.slice(-2000));
  assert.equal(result.code, 1, result.stderr.slice(-2000));
  // --json: the one error is a {"error": …} line beside the JSON log lines.
  const errors = cliErrors(result.stderr);
  assert.equal(errors.length, 1, result.stderr.slice(-2000));
  assert.match(errors[0].message, /^local store could not (optimize|write points) in "full": the disk is full \(no space left on device\)$/);
  assert.doesNotMatch(result.stderr, /cargo|\.rs:\d+|Caused by/, 'no Rust source paths, no cause chain');
  const summary = JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as { added: number; lost: number | null; collection: string };
  assert.equal(summary.collection, 'full');
  assert.equal(summary.added, DOCUMENTS);
  assert.equal(typeof summary.lost, 'number', `lost is counted: ${result.stdout}`);
  console.log(`# disk full: ${errors[0].message}; lost ${summary.lost} of ${DOCUMENTS}`);
});
