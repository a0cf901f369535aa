// Parquet, gzip and stdin sources end to end through `embedline ingest` (the real binary, Redis, the
// model and the embedded store): what the store holds afterwards, typed Parquet metadata a search
// filter can use, the one reject a damaged file costs, and stdin's spool file removed after the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isolatedEnv } from '../../support/isolated-env.ts';
import { runCli, type CliResult } from '../../support/run-cli.ts';
import { columnChunkBytes, writeParquet } from './parquet-files.ts';

const iso = isolatedEnv('sources-cli');
/** The child's temp folder, where stdin is spooled: no spool folder is left once each run has ended. */
const tmp = join(iso.dir, 'tmp');
const env = { ...iso.env, TMPDIR: tmp };
const RUN = ['--json', '--no-progress'];

before(() => mkdirSync(tmp));
after(() => iso.cleanup());

function summaryOf(result: CliResult): Record<string, unknown> {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

function rejectsIn(path: string): Array<{ source: string; line: number; reason: string }> {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { source: string; line: number; reason: string });
}

test('a Parquet file: typed columns become metadata a filter can use; a damaged row group is one reject', async () => {
  const path = writeParquet(
    iso.dir,
    'articles.parquet',
    [
      { name: 'id', data: ['a1', 'a2', 'a3', 'a4'] },
      { name: 'body', data: ['Stars fuse hydrogen into helium.', 'Bread rises with yeast.', 'Rivers carve valleys.', 'Glaciers move slowly.'] },
      { name: 'year', data: [2021, 2019, 2023, 2018] },
      { name: 'tags', data: [['sky'], ['food'], ['earth'], ['earth', 'ice']] },
    ],
    {
      rowGroupSize: 2,
      schema: [
        { name: 'root', num_children: 4 },
        { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'body', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'year', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      ],
    },
  );
  const flags = ['--text-column', 'body', '--id-column', 'id', '--metadata-columns', 'year,tags', ...RUN];

  const whole = summaryOf(await runCli(['ingest', path, '--collection', 'pq', ...flags], { env }));
  const search = await runCli(['search', 'ice and rock', '--collection', 'pq', '--filter', '{"year": {"lt": 2020}, "tags": "earth"}', '--json'], { env });

  assert.equal(whole.added, 4);
  assert.equal(search.code, 0, search.stderr);
  const hits = (JSON.parse(search.stdout) as { hits: Array<{ documentId?: string; id?: string; metadata: Record<string, unknown> }> }).hits;
  assert.deepEqual(hits.map((hit) => hit.metadata), [{ year: 2018, tags: ['earth', 'ice'] }]);

  const bytes = readFileSync(path);
  const [start, end] = columnChunkBytes(bytes, 1);
  bytes.fill(0xff, start, end);
  const damaged = join(iso.dir, 'damaged.parquet');
  writeFileSync(damaged, bytes);
  const rejects = join(iso.dir, 'pq-rejects.jsonl');
  const partial = summaryOf(await runCli(['ingest', damaged, '--collection', 'pq-damaged', '--rejects', rejects, ...flags], { env }));

  assert.deepEqual([partial.added, partial.rejected], [2, 1]);
  assert.deepEqual(rejectsIn(rejects).map((r) => [r.line, r.reason.replace(/: .*;/, ': …;')]), [[3, 'row group 2 of 2 (rows 3 to 4) cannot be read: …; its rows are left out']]);
});

test('gzip files: read through zlib as their text format; a truncated one keeps the rows before the cut', async () => {
  const rows = Array.from({ length: 400 }, (_, i) => `${i + 1},Row number ${i + 1} talks about ${['stars', 'bread', 'rivers', 'ice'][i % 4]} in its own words ${i * 7919}.`);
  const csv = `id,text\n${rows.join('\n')}\n`;
  const jsonl = join(iso.dir, 'notes.jsonl.gz');
  writeFileSync(jsonl, gzipSync('{"id": "n1", "text": "Tea leaves steep in hot water."}\n{"id": "n2", "text": "Bees make honey."}\n'));
  const whole = gzipSync(csv);
  const cut = join(iso.dir, 'cut.csv.gz');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
  const rejects = join(iso.dir, 'gz-rejects.jsonl');

  const notes = summaryOf(await runCli(['ingest', jsonl, '--collection', 'gz-notes', '--text-field', 'text', '--id-field', 'id', ...RUN], { env }));
  const truncated = summaryOf(await runCli(['ingest', cut, '--collection', 'gz-cut', '--text-column', 'text', '--id-column', 'id', '--rejects', rejects, '--workers', '0', '--no-wait', ...RUN], { env }));

  assert.equal(notes.added, 2);
  const [reject] = rejectsIn(rejects);
  assert.equal(truncated.rejected, 1);
  // The rows before the cut line are documents (the header is line 1); the cut row is not one.
  assert.equal(truncated.added, reject!.line - 2);
  assert.ok(reject!.line > 10 && reject!.line < 400, `cut at line ${reject!.line}`);
  assert.equal(reject!.source, cut);
  assert.match(reject!.reason, /^the gzip data ends or is damaged at compressed byte \d+ \(unexpected end of file\)/);
});

test('stdin ("-"): spooled, read as the --format given, named "stdin", and the spool file removed', async () => {
  const input = 'id,text\ns1,Comets have icy tails.\ns2,\ns3,Volcanoes erupt molten rock.\n';
  const rejects = join(iso.dir, 'stdin-rejects.jsonl');

  const piped = summaryOf(await runCli(['ingest', '-', '--format', 'csv', '--collection', 'from-stdin', '--text-column', 'text', '--id-column', 'id', '--rejects', rejects, ...RUN], { env, input }));
  const gzipped = summaryOf(await runCli(['ingest', '-', '--format', 'csv', '--collection', 'from-stdin-gz', '--text-column', 'text', ...RUN], { env, input: gzipSync(input) as unknown as string /* runCli writes a Buffer as it is */ }));
  const noFormat = await runCli(['ingest', '-', '--collection', 'no-format', '--text-column', 'text', '--no-progress'], { env, input });
  const empty = await runCli(['ingest', '-', '--format', 'jsonl', '--collection', 'empty-stdin', '--text-field', 'text', '--no-progress'], { env, input: '' });

  assert.deepEqual([piped.added, piped.rejected], [2, 1]);
  assert.deepEqual(rejectsIn(rejects).map((r) => [r.source, r.line, r.reason]), [['stdin', 3, 'empty text (column "text")']]);
  assert.deepEqual([gzipped.added, gzipped.rejected], [2, 1]);
  assert.equal(noFormat.code, 2);
  assert.match(noFormat.stderr, /reading the source from stdin \(-\) needs a format: pass --format \(format\) csv, tsv, jsonl, parquet/);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /stdin has no documents to index/);
  // (tsx and LanceDB keep their own files there too.)
  assert.deepEqual(readdirSync(tmp).filter((name) => name.startsWith('embedline-stdin-')), []);
});
