// The CLI's manners, as a script sees them (docs/cli.md "Exit codes"): --version; distinct exit
// codes (0 ok, 1 runtime failure, 2 usage error, 3 more rejects than --max-rejects); --json turns
// every error into one `{"error": {"code", "message"}}` line on stderr; an empty search says
// "no hits" (`"hits": []` in JSON); the rejects summary names the run's own rejects file and the
// commonest reasons with their counts, and a second run never overwrites the first run's file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { PROJECT_ROOT, runCli, type CliResult } from '../support/run-cli.ts';

const iso = isolatedEnv('cli-manners');
const COLLECTION = 'manners';
/** Two good rows, and rejected rows with four different reasons, three of them more than once. */
const CSV_ROWS = [
  'id,text,tag',
  '1,Glaciers carve valleys as the ice flows downhill.,geo',
  '2,Sourdough rises because wild yeast ferments the dough.,food',
  '3,too few',
  '4,too few again',
  '5,also too few',
  '6,a,b,c,too many',
  '7,a,b,c,too many again',
  '8,,empty',
  '9,,empty too',
  '10,,and empty',
  '11,,and empty again',
  '12,x,y,z,w,v,even more',
];
const INGEST = ['--text-column', 'text', '--id-column', 'id', '--metadata-columns', 'tag', '--no-progress'];

let csv: string;
let firstRun: CliResult;

before(async () => {
  csv = join(iso.dir, 'rows.csv');
  writeFileSync(csv, `${CSV_ROWS.join('\n')}\n`);
  firstRun = await runCli(['ingest', csv, '--collection', COLLECTION, ...INGEST], { env: iso.env });
  assert.equal(firstRun.code, 0, firstRun.stderr);
});
after(() => iso.cleanup());

/** The one JSON error line on stderr; every other line there is a JSON log line (an `event`), no plain text. */
function jsonError(result: CliResult): { code: string; message: string } {
  const entries = result.stderr.trim().split('\n').map((line) => JSON.parse(line) as { error?: { code: string; message: string }; event?: string });
  const errors = entries.filter((entry) => entry.error !== undefined);
  assert.equal(errors.length, 1, `one error line on stderr: ${result.stderr}`);
  assert.ok(entries.every((entry) => entry.error !== undefined || typeof entry.event === 'string'), result.stderr);
  return errors[0]!.error!;
}

/** [reason, count] for every reason in a rejects file, commonest first (ties: first seen). */
function reasonsIn(path: string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const { reason } = JSON.parse(line) as { reason: string };
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

test('--version prints the package version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = await runCli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${version}\n`);
});

test('the rejects summary names the run\'s own rejects file and the three commonest reasons with their counts', () => {
  const path = /^rejected rows: (.+)$/m.exec(firstRun.stdout)?.[1];
  assert.ok(path, firstRun.stdout);
  assert.ok(path.startsWith(join(iso.dataDir, 'rejects', `${COLLECTION}-`)) && path.endsWith('.jsonl'), path);
  const inFile = reasonsIn(path);
  assert.equal(inFile.length, 4, 'four different reasons in the file');
  const shown = firstRun.stdout.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim());
  assert.deepEqual(shown, inFile.slice(0, 3).map(([reason, count]) => `${count}× ${reason}`));
});

test('a second run gets a rejects file of its own: the first is never overwritten', async () => {
  const firstPath = /^rejected rows: (.+)$/m.exec(firstRun.stdout)![1]!;
  const before = readFileSync(firstPath, 'utf8');
  const second = await runCli(['ingest', csv, '--collection', COLLECTION, ...INGEST, '--json'], { env: iso.env });
  assert.equal(second.code, 0, second.stderr);
  const summary = JSON.parse(second.stdout.trim()) as { rejected: number; rejectsFile: string; rejectReasons: Array<{ reason: string; count: number }> };
  assert.notEqual(summary.rejectsFile, firstPath);
  assert.equal(readFileSync(firstPath, 'utf8'), before);
  assert.deepEqual(readdirSync(join(iso.dataDir, 'rejects')).length, 2);
  assert.deepEqual(summary.rejectReasons.map((r) => [r.reason, r.count]), reasonsIn(summary.rejectsFile).slice(0, 3));
  // A file named with --rejects is appended to: two runs, twice the lines.
  const named = join(iso.dir, 'named-rejects.jsonl');
  for (let i = 0; i < 2; i++) assert.equal((await runCli(['ingest', csv, '--collection', COLLECTION, ...INGEST, '--rejects', named], { env: iso.env })).code, 0);
  assert.equal(readFileSync(named, 'utf8').trim().split('\n').length, 2 * summary.rejected);
});

test('--max-rejects: over the bound the run still prints its summary, then exits 3 (TOO_MANY_REJECTS); within it, 0', async () => {
  const over = await runCli(['ingest', csv, '--collection', COLLECTION, ...INGEST, '--max-rejects', '2', '--json'], { env: iso.env });
  assert.equal(over.code, 3, over.stderr);
  const summary = JSON.parse(over.stdout.trim()) as { rejected: number; rejectsFile: string };
  assert.ok(summary.rejected > 2);
  const error = jsonError(over);
  assert.equal(error.code, 'TOO_MANY_REJECTS');
  assert.equal(error.message, `${summary.rejected} record(s) were rejected, over --max-rejects 2; see ${summary.rejectsFile}`);
  const within = await runCli(['ingest', csv, '--collection', COLLECTION, ...INGEST, '--max-rejects', String(summary.rejected)], { env: iso.env });
  assert.equal(within.code, 0, within.stderr);
});

test('usage errors exit 2: an unknown flag, a bad flag value; with --json each is one JSON line', async () => {
  const unknown = await runCli(['search', 'x', '--collection', COLLECTION, '--colour', 'red'], { env: iso.env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown option '--colour'\n/);
  const unknownJson = await runCli(['search', 'x', '--collection', COLLECTION, '--colour', 'red', '--json'], { env: iso.env });
  assert.equal(unknownJson.code, 2);
  assert.deepEqual(jsonError(unknownJson), { code: 'BAD_REQUEST', message: "unknown option '--colour'" });
  const badValue = await runCli(['search', 'x', '--collection', COLLECTION, '--k', '0', '--json'], { env: iso.env });
  assert.equal(badValue.code, 2);
  assert.deepEqual(jsonError(badValue), { code: 'CONFIG_INVALID', message: '--k must be a positive integer, got "0"' });
});

test('a runtime failure exits 1; with --json it is one JSON line with its code', async () => {
  const plain = await runCli(['search', 'x', '--collection', 'not-there'], { env: iso.env });
  assert.equal(plain.code, 1);
  assert.equal(plain.stderr, 'error: collection "not-there" does not exist\n');
  const json = await runCli(['search', 'x', '--collection', 'not-there', '--json'], { env: iso.env });
  assert.equal(json.code, 1);
  assert.deepEqual(jsonError(json), { code: 'COLLECTION_MISSING', message: 'collection "not-there" does not exist' });
});

test('a search without hits says "no hits" (an empty list in JSON)', async () => {
  const filter = JSON.stringify({ tag: 'no-such-tag' });
  const text = await runCli(['search', 'glaciers', '--collection', COLLECTION, '--filter', filter], { env: iso.env });
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, 'no hits\n');
  const json = await runCli(['search', 'glaciers', '--collection', COLLECTION, '--filter', filter, '--json'], { env: iso.env });
  assert.equal(json.code, 0, json.stderr);
  const answer = JSON.parse(json.stdout) as { query: string; hits: unknown[] };
  assert.deepEqual([answer.query, answer.hits], ['glaciers', []]);
  // The same search without the filter has hits: the empty answer above came from the filter.
  const hits = await runCli(['search', 'glaciers', '--collection', COLLECTION, '--json'], { env: iso.env });
  assert.ok((JSON.parse(hits.stdout) as { hits: unknown[] }).hits.length > 0, hits.stderr);
  assert.ok(existsSync(join(iso.dataDir, 'rejects')));
});
