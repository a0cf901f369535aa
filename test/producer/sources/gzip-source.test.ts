// gzip-compressed text sources through openSource: found by their magic bytes (not only the name),
// the format from the name without .gz or --format, read as a stream into the CSV/JSONL readers with
// line numbers of the decompressed text; a truncated or corrupt stream keeps the rows before the
// damage, never half a row, and ends in one reject naming the line and compressed byte reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { openSource, type Source } from '../../../src/producer/sources/open-source.ts';
import { isEmbedlineError, type ErrorCode } from '../../../src/errors.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { documentsOf, rejectSummary } from './source-items.ts';

const failsWith = (code: ErrorCode, pattern: RegExp) => (err: unknown) => isEmbedlineError(err) && err.code === code && pattern.test(err.message);
const gz = (text: string) => gzipSync(Buffer.from(text));
const texts = async (source: Source) => documentsOf(await collect(source.read())).map((d) => [d.line, d.text]);

test('.csv.gz, .tsv.gz, .jsonl.gz and .ndjson.gz read as their plain files do, line numbers of the text', async (t) => {
  const dir = tempDir(t);
  const csv = 'id,text\r\n1,first\r\n2,"two\r\nlines"\r\n3\r\n4,fourth\r\n';
  const opened = await Promise.all([
    openSource(writeTempFile(dir, 'a.csv.gz', gz(csv)), { textFields: ['text'], idField: 'id' }),
    openSource(writeTempFile(dir, 'b.TSV.GZ', gz('text\tn\nfrom, tsv\t1\n')), { textFields: ['text'] }),
    openSource(writeTempFile(dir, 'c.jsonl.gz', gz('{"text": "from jsonl"}\n\nnot json\n{"text": "after"}\n')), { textFields: ['text'] }),
    openSource(writeTempFile(dir, 'd.ndjson.gz', gz('{"text": "from ndjson"}')), { textFields: ['text'] }),
  ]);
  const plain = await openSource(writeTempFile(dir, 'a.csv', csv), { textFields: ['text'], idField: 'id' });

  assert.deepEqual(opened.map((s) => [s.format, s.compression]), [['csv', 'gzip'], ['tsv', 'gzip'], ['jsonl', 'gzip'], ['jsonl', 'gzip']]);
  assert.deepEqual(await Promise.all(opened.map(texts)), [
    [[1 + 1, 'first'], [3, 'two\nlines'], [6, 'fourth']],
    [[2, 'from, tsv']],
    [[1, 'from jsonl'], [4, 'after']],
    [[1, 'from ndjson']],
  ]);
  assert.deepEqual(rejectSummary(await collect(opened[0]!.read())), rejectSummary(await collect(plain.read())));
  assert.deepEqual(rejectSummary(await collect(opened[2]!.read())), [[3, 'invalid JSON: Unexpected token \'o\', "not json" is not valid JSON']]);
});

test('the magic bytes decide, not the name; the format comes from the name without .gz, or --format', async (t) => {
  const dir = tempDir(t);
  const gzippedCsv = writeTempFile(dir, 'export.csv', gz('text\ncompressed all along\n'));
  const plainGz = writeTempFile(dir, 'plain.jsonl.gz', '{"text": "never compressed"}\n');
  const bare = writeTempFile(dir, 'dump.gz', gz('{"text": "format given"}\n'));

  const sources = [await openSource(gzippedCsv, { textFields: ['text'] }), await openSource(plainGz, { textFields: ['text'] }), await openSource(bare, { textFields: ['text'], format: 'jsonl' })];

  assert.deepEqual(sources.map((s) => s.compression), ['gzip', undefined, 'gzip']);
  assert.deepEqual(await Promise.all(sources.map(texts)), [[[2, 'compressed all along']], [[1, 'never compressed']], [[1, 'format given']]]);
  // Parquet seeks in its file: a compressed one cannot be read as a stream.
  const parquet = writeTempFile(dir, 'table.parquet.gz', gzipSync(Buffer.from('PAR1')));
  await assert.rejects(openSource(parquet, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /table\.parquet\.gz is gzip-compressed, which a parquet source cannot be: only csv, tsv, jsonl can/));
  await assert.rejects(openSource(bare, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /cannot tell the format of .*dump\.gz from its extension \(expected \.csv, .*\.parquet, the text ones also compressed \(\.gz\), or a folder\)/));
});

test('a truncated gzip file keeps every whole row before the cut, drops the cut row, and ends in one reject', async (t) => {
  const dir = tempDir(t);
  // Hex text barely compresses, so the cut lands far into the file, after many whole lines.
  const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ text: `row ${i + 1} ${randomBytes(40).toString('hex')}` }));
  const whole = gz(`${lines.join('\n')}\n`);
  const cutAt = Math.floor(whole.length * 0.6);
  const path = writeTempFile(dir, 'cut.jsonl.gz', whole.subarray(0, cutAt));

  const items = await collect((await openSource(path, { textFields: ['text'] })).read());

  const docs = documentsOf(items);
  assert.ok(docs.length > 1000 && docs.length < 3000, `${docs.length} rows before the cut`);
  // Every row read is a whole row of the original, in order: nothing half-written.
  assert.deepEqual(docs.map((d) => d.text), lines.slice(0, docs.length).map((line) => (JSON.parse(line) as { text: string }).text));
  const rejects = rejectSummary(items);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0]![0], docs.length + 1);
  const offset = Number(/at compressed byte (\d+) \(unexpected end of file\)/.exec(rejects[0]![1])?.[1]);
  assert.ok(offset > 0 && offset <= cutAt, rejects[0]![1]);
  assert.match(rejects[0]![1], new RegExp(`the rows before line ${docs.length + 1} were read, this line and any after it were not$`));
  assert.equal(items.at(-1)!.kind, 'reject');
});

test('gzip data damaged before the first whole line is an error naming the file and the byte', async (t) => {
  const dir = tempDir(t);
  const damaged = Buffer.from(gz('id,text\n1,a\n'));
  damaged.fill(0xff, 10, 16); // the deflate data right after the 10-byte header
  const csv = writeTempFile(dir, 'broken.csv.gz', damaged);
  const jsonl = writeTempFile(dir, 'broken.jsonl.gz', damaged);

  // CSV reads its header when opening; JSONL meets the damage on its first read.
  await assert.rejects(openSource(csv, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /broken\.csv\.gz: the gzip data is damaged at compressed byte \d+ \(.+\), before the first whole line/));
  const source = await openSource(jsonl, { textFields: ['text'] });
  await assert.rejects(collect(source.read()), failsWith('SOURCE_INVALID', /broken\.jsonl\.gz: the gzip data is damaged at compressed byte \d+/));
});
