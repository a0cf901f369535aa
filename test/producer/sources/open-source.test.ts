import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSource } from '../../../src/producer/sources/open-source.ts';
import { isEmbedlineError, type ErrorCode } from '../../../src/errors.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { documentsOf } from './source-items.ts';

const failsWith = (code: ErrorCode, pattern: RegExp) => (err: unknown) => isEmbedlineError(err) && err.code === code && pattern.test(err.message);

test('the format follows the extension, or a folder', async (t) => {
  const dir = tempDir(t);
  const paths = {
    csv: writeTempFile(dir, 'a.csv', 'text\nfrom csv\n'),
    tsv: writeTempFile(dir, 'b.TSV', 'n\ttext\n1\tfrom, tsv\n'),
    jsonl: writeTempFile(dir, 'c.ndjson', '{"text": "from jsonl"}\n'),
    folder: join(dir, 'docs'),
  };
  writeTempFile(dir, 'docs/d.md', 'from folder');

  const sources = await Promise.all([
    openSource(paths.csv, { textFields: ['text'] }),
    openSource(paths.tsv, { textFields: ['text'] }),
    openSource(paths.jsonl, { textFields: ['text'] }),
    openSource(paths.folder),
  ]);
  const texts = await Promise.all(sources.map(async (source) => documentsOf(await collect(source.read())).map((d) => d.text)));

  assert.deepEqual(sources.map((s) => s.format), ['csv', 'tsv', 'jsonl', 'folder']);
  assert.deepEqual(texts, [['from csv'], ['from, tsv'], ['from jsonl'], ['from folder']]);
});

test('read() starts again from the beginning each time', async (t) => {
  const path = writeTempFile(tempDir(t), 'twice.jsonl', '{"text": "one"}\n{"text": "two"}\n');
  const source = await openSource(path, { textFields: ['text'] });

  const first = await collect(source.read());
  const second = await collect(source.read());

  assert.deepEqual(second, first);
  assert.equal(first.length, 2);
});

test('an explicit format reads a file whatever its extension', async (t) => {
  const path = writeTempFile(tempDir(t), 'export.txt', 'id;text\n1;semicolons\n');

  const source = await openSource(path, { format: 'csv', delimiter: ';', textFields: ['text'], idField: 'id' });

  assert.deepEqual(documentsOf(await collect(source.read())).map((d) => [d.id, d.text]), [['1', 'semicolons']]);
});

test('what can be checked before reading is checked when opening', async (t) => {
  const dir = tempDir(t);
  const csv = writeTempFile(dir, 'a.csv', 'text\nx\n');
  const odd = writeTempFile(dir, 'a.xlsx', 'binary');
  const empty = writeTempFile(dir, 'empty.csv', '');

  await assert.rejects(openSource(join(dir, 'nope.csv'), { textFields: ['text'] }), failsWith('SOURCE_INVALID', /source not found: .*nope\.csv/));
  await assert.rejects(openSource(odd, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /cannot tell the format of .*a\.xlsx/));
  await assert.rejects(openSource(csv), failsWith('INPUT_INVALID', /needs at least one text field/));
  await assert.rejects(openSource(dir, { textFields: ['text'] }), failsWith('INPUT_INVALID', /do not apply to a folder source/));
  await assert.rejects(openSource(csv, { format: 'folder' }), failsWith('SOURCE_INVALID', /is a file, but the source format is folder/));
  await assert.rejects(openSource(csv, { textFields: ['text'], maxRowBytes: 0 }), failsWith('INPUT_INVALID', /maxRowBytes must be a positive whole number/));
  await assert.rejects(openSource(empty, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /empty\.csv is empty: a CSV source needs a header row/));
  // A format the library does not know (a caller without the CLI's choices) is named, not read as CSV.
  await assert.rejects(openSource(csv, { textFields: ['text'], format: 'xml' as never }), failsWith('INPUT_INVALID', /unknown source format "xml": use csv, tsv, jsonl, parquet, folder/));
  await assert.rejects(openSource(csv, { textFields: ['text'], delimiter: ';;' }), failsWith('INPUT_INVALID', /the CSV delimiter must be one character, got ";;"/));
});

test('a UTF-16 file is refused with a hint, not read as garbage', async (t) => {
  const path = writeTempFile(tempDir(t), 'utf16.jsonl', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"text": "x"}\n', 'utf16le')]));
  const source = await openSource(path, { textFields: ['text'] });

  await assert.rejects(collect(source.read()), failsWith('SOURCE_INVALID', /UTF-16 encoded; convert it to UTF-8/));
});
