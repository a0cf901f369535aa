// The bad-input table (test/fixtures/bad-input/cases.ts) run through the real CLI on real Redis,
// the real model and the embedded store: each case's exit code, its one error line (and never a
// stack trace), its rejects file, and what the store holds afterwards. All command lines run in one
// child process (test/support/cli-batch.ts) to keep the file to about a minute. The child runs as
// `nobody` when the tests run as root, because root reads chmod 000 files and folders anyway and
// the unreadable-file cases would prove nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BAD_INPUT_CASES, BAD_INPUT_COUNTS, type BadInputCase } from '../fixtures/bad-input/cases.ts';
import type { BatchResult, BatchRun } from '../support/cli-batch.ts';
import { cliErrors } from '../support/cli-errors.ts';
import { deleteRedisKeys, isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';

const BASE_COLLECTION = 'bad-input-base';
const NOBODY = 65534;

interface Listed {
  name: string;
  points: number;
  documents: number;
}

describe('bad input: every case gets its exact outcome', () => {
  const iso = isolatedEnv('bad-input');
  const caseDirs = BAD_INPUT_CASES.map((_, i) => join(iso.dir, `case-${String(i).padStart(2, '0')}`));
  let results: BatchResult[] = [];
  let listed: Listed[] = [];
  let runAsNobody = false;

  before(async () => {
    runAsNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
    // The child may run as nobody: everything it writes (store, rejects) must be open to it.
    chmodSync(iso.dir, 0o777);
    mkdirSync(iso.dataDir, { mode: 0o777 });
    chmodSync(iso.dataDir, 0o777);
    const base = join(iso.dir, 'base.csv');
    writeFileSync(base, 'id,text,tag\n1,Stars fuse hydrogen into helium.,sky\n2,Bread rises with yeast.,food\n');
    const runs: BatchRun[] = [
      { args: ['ingest', base, '--collection', BASE_COLLECTION, '--rejects', join(iso.dir, 'base-rejects.jsonl'), '--text-column', 'text', '--id-column', 'id', '--json', '--no-progress'] },
    ];
    BAD_INPUT_CASES.forEach((c, i) => {
      mkdirSync(caseDirs[i]!, { mode: 0o777 });
      chmodSync(caseDirs[i]!, 0o777);
      const args = c.arrange({ dir: caseDirs[i]!, modelDir: MODEL_DIR, baseCollection: BASE_COLLECTION });
      // Jobs a --no-wait case leaves queued go to their own queue: the next case's in-process
      // worker would otherwise embed them (thousands of chunks of the large cases).
      runs.push({ args, env: args.includes('--no-wait') ? { EMBEDLINE_QUEUE_PREFIX: `${iso.prefix}-no-wait` } : undefined });
    });
    runs.push({ args: ['collections', '--json'] });
    const runsFile = join(iso.dir, 'runs.json');
    const resultsFile = join(iso.dir, 'results.json');
    writeFileSync(runsFile, JSON.stringify(runs));
    const node = [process.execPath, '--import', 'tsx', join(PROJECT_ROOT, 'test/support/cli-batch.ts'), runsFile, resultsFile];
    const command = runAsNobody ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...node] : node;
    const child = spawnSync(command[0]!, command.slice(1), {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...iso.env, EMBEDLINE_MODEL: MODEL_DIR, EMBEDLINE_QUIET: '1' },
      encoding: 'utf8',
      timeout: 600_000,
    });
    assert.equal(child.status, 0, `the batch ended with ${child.status} ${child.signal ?? ''}: ${child.stderr.slice(-2000)}`);
    const all = JSON.parse(readFileSync(resultsFile, 'utf8')) as BatchResult[];
    assert.equal(all[0]!.code, 0, `base ingest: ${all[0]!.stderr}`);
    listed = JSON.parse(all.at(-1)!.stdout).collections as Listed[];
    results = all.slice(1, -1);
  });
  after(async () => {
    await deleteRedisKeys(`${iso.prefix}-no-wait:*`);
    await iso.cleanup();
  });

  test('the table has at least 40 cases in every group the issue names', () => {
    assert.ok(BAD_INPUT_CASES.length >= 40, `${BAD_INPUT_CASES.length} cases`);
    assert.deepEqual(Object.keys(BAD_INPUT_COUNTS).sort(), ['collection name', 'csv', 'flags', 'folder', 'jsonl', 'model folder']);
  });

  test('the unreadable-entry cases ran as a user who cannot read them', () => {
    // As root they would read the chmod 000 entries and the folder cases below would fail loudly.
    if (process.getuid?.() === 0) assert.ok(runAsNobody, 'setpriv is needed to run the batch as nobody');
  });

  BAD_INPUT_CASES.forEach((c, i) => {
    test(c.name, () => checkCase(c, results[i]!, caseDirs[i]!, listed));
  });

  test('nothing was created for a refused collection name, and no stray rejects file either', () => {
    const names = listed.map((l) => l.name).sort();
    const expected = [BASE_COLLECTION, ...BAD_INPUT_CASES.filter((c) => c.collection !== undefined && c.expect.stored !== 'nothing').map((c) => c.collection!)].sort();
    assert.deepEqual(names, expected);
    assert.equal(existsSync(join(iso.dataDir, 'rejects')), false, 'every run named its rejects file; refused runs wrote none');
  });
});

function checkCase(c: BadInputCase, result: BatchResult, dir: string, listed: Listed[]): void {
  const where = `stdout: ${result.stdout.slice(0, 500)}\nstderr: ${result.stderr.slice(0, 1500)}`;
  assert.equal(result.code, c.expect.code, where);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  // The cases run with --json: each error is one {"error": {code, message}} line with a stable code.
  const errors = cliErrors(result.stderr);
  for (const { code } of errors) assert.match(code ?? '', /^[A-Z_]+$/, where);
  if (c.expect.error !== undefined) assert.deepEqual(errors.map((e) => e.message), [c.expect.error.replaceAll('{dir}', dir)], where);
  else assert.deepEqual(errors, [], where);

  if (c.expect.summary) {
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    for (const [key, value] of Object.entries(c.expect.summary)) assert.equal(summary[key], value, `summary.${key}`);
  }
  const rejectsPath = join(dir, 'rejects.jsonl');
  const rejects = existsSync(rejectsPath)
    ? readFileSync(rejectsPath, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { line: number; reason: string })
    : [];
  if (c.expect.rejectCount) {
    assert.equal(rejects.length, c.expect.rejectCount.count);
    assert.deepEqual([rejects[0]!.line, rejects[0]!.reason], c.expect.rejectCount.first);
  } else {
    assert.deepEqual(rejects.map((r) => [r.line, r.reason]), c.expect.rejects ?? []);
  }

  const stored = c.collection === undefined ? undefined : listed.find((l) => l.name === c.collection);
  if (c.expect.stored === 'nothing') assert.equal(stored, undefined, `${c.collection} must not exist`);
  else if (c.expect.stored !== undefined) {
    assert.ok(stored, `${c.collection} listed`);
    assert.equal(stored.documents, c.expect.stored.documents, 'documents stored');
    if (typeof c.expect.stored.points === 'number') assert.equal(stored.points, c.expect.stored.points, 'points stored');
  }
}
