// `ingest --prune` deletes only documents positively absent from a source that was read whole. A
// record rejected this run (one stray quote that swallows the rest of a CSV) or a subfolder that
// cannot be read never counted as "seen", so prune deleted what it had not read: 16 of 20
// documents, 50 of 250. Now a run with any rejected or unreadable record deletes nothing and says
// why in one line (and in the --json summary); a clean run still prunes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { BIN, PROJECT_ROOT } from '../support/run-cli.ts';

const iso = isolatedEnv('prune-safety');
after(() => {
  chmodRecursive(iso.dir);
  return iso.cleanup();
});

// root reads any folder whatever its mode: as root, the CLI runs as "nobody" so that a folder
// without permissions is unreadable to it, as it is to any other user.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

function chmodRecursive(path: string): void {
  chmodSync(path, 0o755);
  for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) chmodRecursive(join(path, entry.name));
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...iso.env, HOME: iso.dir }, ...asUser });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ingest(source: string, collection: string, extra: string[] = []) {
  const r = await cli(['ingest', source, '--collection', collection, '--json', '--no-progress', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { added: number; deleted: number; rejected: number; pruneSkipped?: string };
}

async function documents(collection: string): Promise<number> {
  const r = await cli(['collections', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout).collections as Array<{ name: string; documents: number }>).find((c) => c.name === collection)!.documents;
}

/** A file the CLI (maybe running as another user) can read and write. */
function give(path: string): void {
  if (asUser.uid !== undefined) chownSync(path, asUser.uid, asUser.gid);
}

const text = (i: number, topic: string) => `Entry ${i} on ${topic}: how it started, who was involved, and what changed over the following decades.`;

test('a stray quote that swallows the rest of the CSV: prune deletes nothing and says so', async () => {
  give(iso.dir);
  const rows = Array.from({ length: 20 }, (_, i) => `r${i},"${text(i, 'lighthouses')}"`);
  const csv = join(iso.dir, 'rows.csv');
  writeFileSync(csv, ['id,body', ...rows].join('\n') + '\n');
  give(csv);
  const csvArgs = ['--text-column', 'body', '--id-column', 'id'];
  assert.equal((await ingest(csv, 'rows', csvArgs)).added, 20);

  // Row 4's closing quote is gone: the parser reads rows 4..19 as one record and rejects it.
  rows[4] = `r4,"${text(4, 'lighthouses')}`;
  writeFileSync(csv, ['id,body', ...rows].join('\n') + '\n');
  const summary = await ingest(csv, 'rows', [...csvArgs, '--prune']);
  assert.equal(summary.rejected, 1);
  assert.equal(summary.deleted, 0);
  assert.match(summary.pruneSkipped ?? '', /^--prune \(prune\) deleted nothing: 1 record\(s\) were rejected or unreadable this run/);
  assert.equal(await documents('rows'), 20, 'nothing the run could not read was deleted');
});

test('an unreadable subfolder: prune deletes nothing and says so; once readable, a clean run prunes what is gone', async () => {
  const root = join(iso.dir, 'notes');
  for (const [folder, count] of [['', 4], ['kept', 8]] as const) {
    mkdirSync(join(root, folder), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(join(root, folder, `n${i}.txt`), text(i, folder || 'top'));
  }
  for (const path of [root, join(root, 'kept'), ...readdirSync(join(root, 'kept')).map((f) => join(root, 'kept', f)), ...readdirSync(root).map((f) => join(root, f))]) give(path);
  assert.equal((await ingest(root, 'notes')).added, 12);

  chmodSync(join(root, 'kept'), 0o000);
  const summary = await ingest(root, 'notes', ['--prune']);
  assert.equal(summary.rejected, 1);
  assert.equal(summary.deleted, 0);
  assert.match(summary.pruneSkipped ?? '', /deleted nothing: 1 record\(s\) were rejected or unreadable/);
  assert.equal(await documents('notes'), 12);

  // The human summary says it in one line too.
  const human = await cli(['ingest', root, '--collection', 'notes', '--no-progress', '--prune']);
  assert.equal(human.code, 0, human.stderr);
  assert.equal(human.stdout.split('\n').filter((line) => line.startsWith('--prune (prune) deleted nothing')).length, 1, human.stdout);

  chmodSync(join(root, 'kept'), 0o755);
  rmSync(join(root, 'n0.txt'));
  assert.ok(statSync(join(root, 'kept')).isDirectory());
  const clean = await ingest(root, 'notes', ['--prune']);
  assert.deepEqual([clean.rejected, clean.deleted, clean.pruneSkipped], [0, 1, undefined]);
  assert.equal(await documents('notes'), 11);
});
