// The Parquet source through openSource, on files the tests write: columns map as CSV columns do but
// keep their types, rows are read one row group at a time, what JSONL rejects is rejected, and a
// damaged row group is one reject naming it while the other row groups are still read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { openSource } from '../../../src/producer/sources/open-source.ts';
import { isEmbedlineError, type ErrorCode } from '../../../src/errors.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { columnChunkBytes, writeParquet } from './parquet-files.ts';
import { documentsOf, rejectSummary } from './source-items.ts';

const failsWith = (code: ErrorCode, pattern: RegExp) => (err: unknown) => isEmbedlineError(err) && err.code === code && pattern.test(err.message);

/** Five columns of every kind a corpus has: an INT64 id, two texts, a list, a timestamp and a string to split. */
function articles(dir: string): string {
  return writeParquet(
    dir,
    'articles.parquet',
    [
      { name: 'id', data: [101n, 102n, 103n] },
      { name: 'title', data: ['Stars', 'Bread', 'Rivers'] },
      { name: 'body', data: ['Stars fuse hydrogen.', 'Bread rises with yeast.', 'Rivers carve valleys.'] },
      { name: 'tags', data: [['sky', 'physics'], [], null] },
      { name: 'published', data: [new Date('2021-03-04T05:06:07Z'), null, new Date(0)] },
      { name: 'year', data: ['2021', '2019', ' '] },
      { name: 'authors', data: ['ann; bo', 'cy', ''] },
    ],
    {
      schema: [
        { name: 'root', num_children: 7 },
        { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
        { name: 'title', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'body', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
        { name: 'published', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' },
        { name: 'year', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'authors', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    },
  );
}

test('columns map as CSV columns do, and keep their Parquet types', async (t) => {
  const path = articles(tempDir(t));

  const source = await openSource(path, {
    textFields: ['title', 'body'],
    idField: 'id',
    metadataFields: ['tags', 'published'],
    numberFields: ['year'],
    listFields: { authors: ';' },
  });
  const items = await collect(source.read());

  assert.equal(source.format, 'parquet');
  assert.deepEqual(
    items.map((item) => (item.kind === 'document' ? [item.id, item.line, item.text, item.metadata] : item)),
    [
      ['101', 1, 'Stars\n\nStars fuse hydrogen.', { tags: ['sky', 'physics'], published: '2021-03-04T05:06:07.000Z', year: 2021, authors: ['ann', 'bo'] }],
      ['102', 2, 'Bread\n\nBread rises with yeast.', { tags: [], published: null, year: 2019, authors: ['cy'] }],
      // A null list reads as null, as a missing JSONL field; a blank number cell is null as in CSV.
      ['103', 3, 'Rivers\n\nRivers carve valleys.', { tags: null, published: '1970-01-01T00:00:00.000Z', year: null, authors: [] }],
    ],
  );
});

test('rows without an id column get the file name and row number; the format is found by the extension', async (t) => {
  const path = writeParquet(tempDir(t), 'plain.PARQUET', [{ name: 'text', data: ['one', 'two'] }]);

  const docs = documentsOf(await collect((await openSource(path, { textFields: 'text' as never })).read()));

  assert.deepEqual(docs.map((d) => [d.id, d.text]), [['plain.PARQUET:1', 'one'], ['plain.PARQUET:2', 'two']]);
});

test('what JSONL rejects is rejected: nested groups, a null or numeric text; the other rows are read', async (t) => {
  const path = writeParquet(
    tempDir(t),
    'mixed.parquet',
    [
      { name: 'text', data: ['fine', null, 'fine too', 'grouped'] },
      { name: 'n', data: [1, 2, 3, 4] },
      { name: 'meta', data: [{ a: 1 }, { a: 2 }, null, { a: 4 }] },
    ],
    {
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'n', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'meta', repetition_type: 'OPTIONAL', num_children: 1 },
        { name: 'a', type: 'INT32', repetition_type: 'OPTIONAL' },
      ],
    },
  );

  const withGroup = await collect((await openSource(path, { textFields: ['text'], metadataFields: ['meta'] })).read());
  const numberAsText = await collect((await openSource(path, { textFields: ['n'] })).read());

  assert.deepEqual(rejectSummary(withGroup), [
    [1, 'metadata column "meta" is an object: nested objects are not kept as metadata (give scalars or an array of one scalar type)'],
    [2, 'text column "text" is null, not a string'],
    [4, 'metadata column "meta" is an object: nested objects are not kept as metadata (give scalars or an array of one scalar type)'],
  ]);
  assert.deepEqual(documentsOf(withGroup).map((d) => [d.line, d.metadata]), [[3, { meta: null }]]);
  assert.deepEqual(rejectSummary(numberAsText)[0], [1, 'text column "n" is a number, not a string']);
});

test('rows are read one row group at a time; a damaged row group is one reject, the others are read', async (t) => {
  const dir = tempDir(t);
  const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
  const path = writeParquet(dir, 'groups.parquet', [{ name: 'text', data: texts }], { rowGroupSize: 2 });
  const bytes = readFileSync(path);
  const [start, end] = columnChunkBytes(bytes, 1);
  bytes.fill(0xff, start, end);
  writeFileSync(path, bytes);

  const items = await collect((await openSource(path, { textFields: ['text'] })).read());

  assert.deepEqual(documentsOf(items).map((d) => [d.line, d.text]), [[1, 'one'], [2, 'two'], [5, 'five'], [6, 'six']]);
  const rejects = rejectSummary(items);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0]![0], 3);
  assert.match(rejects[0]![1], /^row group 2 of 3 \(rows 3 to 4\) cannot be read: .+; its rows are left out$/);
});

test('a missing column, a file that is not Parquet, or an option of another format is refused when opening', async (t) => {
  const dir = tempDir(t);
  const path = writeParquet(dir, 'cols.parquet', [{ name: 'body', data: ['x'] }, { name: 'id', data: ['1'] }]);
  const notParquet = writeTempFile(dir, 'fake.parquet', 'id,text\n1,x\n');

  await assert.rejects(openSource(path, { textFields: ['text'] }), failsWith('COLUMN_MISSING', /cols\.parquet has no column "text" \(its header has: body, id\)/));
  await assert.rejects(openSource(notParquet, { textFields: ['text'] }), failsWith('SOURCE_INVALID', /fake\.parquet is not a readable Parquet file: /));
  await assert.rejects(openSource(path, { textFields: ['body'], maxRowBytes: 10 }), failsWith('INPUT_INVALID', /a row size limit \(--max-row-bytes, maxRowBytes\) does not apply to a parquet source .*; only to csv, tsv, jsonl/));
});
