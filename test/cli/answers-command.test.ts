// The CLI side of filters, grouping and the floor, end to end with the real model and the
// embedded store: a CSV ingested with --list-column and --number-columns stores arrays and numbers
// (contains and range filters find them); `embedline calibrate` records the floor from STS-b dev;
// a nonsense query prints the "no close match" line before its hits while a real one does not;
// --group-by-document prints each document once with its chunk count; --score-threshold drops
// weak hits; a bad flag value is one line naming it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('answers-command');
const COLLECTION = 'shelf';
const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';

const rows = [
  ['g1', 'Glaciers move because ice deforms under its own weight. '.repeat(30), 'ice;geology', '2019'],
  ['s1', 'The sun fuses hydrogen into helium in its core, releasing energy as light.', 'space;physics', '2021'],
  ['b1', 'Sourdough bread rises because wild yeast ferments the dough.', 'food', '2023'],
];

before(async () => {
  const csv = join(iso.dir, 'shelf.csv');
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  writeFileSync(csv, ['id,body,tags,year', ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n');
  const run = await runCli(
    ['ingest', csv, '--collection', COLLECTION, '--text-column', 'body', '--id-column', 'id', '--list-column', 'tags', '--number-columns', 'year', '--chunk-tokens', '60', '--overlap', '0', '--json', '--no-progress'],
    { env: iso.env },
  );
  assert.equal(run.code, 0, run.stderr);
});
after(async () => {
  await iso.cleanup();
});

const search = (...args: string[]) => runCli(['search', ...args, '--collection', COLLECTION], { env: iso.env });
const ids = (stdout: string) => (JSON.parse(stdout) as { hits: Array<{ documentId: string }> }).hits.map((h) => h.documentId);

test('list and number columns: contains and range filters find what was stored as arrays and numbers', async () => {
  const contains = await search('energy', '--filter', '{"tags":"physics"}', '--json');
  assert.equal(contains.code, 0, contains.stderr);
  assert.deepEqual(ids(contains.stdout), ['s1']);
  const ranged = await search('energy', '--filter', '{"year":{"gte":2020},"not":{"tags":"food"}}', '--json');
  assert.deepEqual(ids(ranged.stdout), ['s1']);
  const fields = JSON.parse((await runCli(['collections', '--json'], { env: iso.env })).stdout).collections[0].fields;
  assert.deepEqual(fields, { tags: 'keyword', year: 'integer' });
});

test('calibrate records the floor; a nonsense query says "no close match" first, a real one does not', async () => {
  const calibrated = await runCli(['calibrate', '--collection', COLLECTION, '--pairs', STS_DEV, '--json'], { env: iso.env });
  assert.equal(calibrated.code, 0, calibrated.stderr);
  const floor = JSON.parse(calibrated.stdout).scoreFloor;
  assert.equal(floor.pairs, 242);
  const weak = await search('zzzqqq');
  assert.match(weak.stdout.split('\n')[0], new RegExp(`^no close match: the best hit scores 0\\.\\d{4}, below this collection's floor ${floor.value}`));
  const real = await search('how do glaciers move');
  assert.match(real.stdout, /^ 1\. 0\.\d{4} {2}g1#/);
  const listed = JSON.parse((await runCli(['collections', '--json'], { env: iso.env })).stdout).collections[0];
  assert.equal(listed.scoreFloor, floor.value);
});

test('--group-by-document prints each document once with its chunk count; --score-threshold drops weak hits', async () => {
  const grouped = await search('how do glaciers move', '--group-by-document', '--k', '3');
  const lines = grouped.stdout.trim().split('\n');
  assert.equal(lines.length, 3, grouped.stdout);
  assert.match(lines[0], /g1#\d+ {2}\(\d+ chunks\)/);
  assert.equal(new Set(lines.map((l) => l.split(/\s+/)[3].split('#')[0])).size, 3);
  const plain = await search('how do glaciers move', '--k', '3', '--json');
  assert.deepEqual(ids(plain.stdout), ['g1', 'g1', 'g1']);
  const strict = await search('how do glaciers move', '--score-threshold', '0.5', '--json');
  assert.ok(ids(strict.stdout).every((id) => id === 'g1'));
  const bad = await search('x', '--score-threshold', 'high');
  assert.notEqual(bad.code, 0);
  assert.equal(bad.stderr.trim(), 'error: --score-threshold must be a number, got "high"');
});
