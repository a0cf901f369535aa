import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { csvSource } from '../../../src/producer/sources/csv-source.ts';
import { openSource } from '../../../src/producer/sources/open-source.ts';
import { isEmbedlineError } from '../../../src/errors.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { documentsOf, rejectSummary } from './source-items.ts';

test('quoted fields keep their commas, doubled quotes and line breaks; id and metadata columns are kept', async (t) => {
  const path = writeTempFile(tempDir(t), 'notes.csv', [
    'id,text,lang,year',
    'a1,"Hello, world",en,2020',
    'a2,"She said ""hi"" twice",en,2021',
    'a3,"line one',
    'line two",fr,1999',
    'a4,plain text,de,',
    '',
  ].join('\n'));

  const items = await collect(csvSource(path, { textFields: ['text'], idField: 'id', metadataFields: ['lang', 'year'] }));

  assert.deepEqual(items, [
    { kind: 'document', id: 'a1', text: 'Hello, world', metadata: { lang: 'en', year: '2020' }, source: path, line: 2 },
    { kind: 'document', id: 'a2', text: 'She said "hi" twice', metadata: { lang: 'en', year: '2021' }, source: path, line: 3 },
    { kind: 'document', id: 'a3', text: 'line one\nline two', metadata: { lang: 'fr', year: '1999' }, source: path, line: 4 },
    { kind: 'document', id: 'a4', text: 'plain text', metadata: { lang: 'de', year: '' }, source: path, line: 6 },
  ]);
});

test('a list column is stored as an array split at its separator; a number column as numbers, a cell that is not one a reject naming it', async (t) => {
  const path = writeTempFile(tempDir(t), 'tagged.csv', [
    'id,text,tags,year',
    'a1,first,red; blue ;,2020',
    'a2,second,,',
    'a3,third,green,soon',
    '',
  ].join('\n'));

  const source = await openSource(path, { textFields: ['text'], idField: 'id', listFields: { tags: ';' }, numberFields: ['year'] });
  const items = await collect(source.read());

  assert.deepEqual(documentsOf(items).map((d) => [d.id, d.metadata]), [
    ['a1', { tags: ['red', 'blue'], year: 2020 }],
    ['a2', { tags: [], year: null }],
  ]);
  assert.deepEqual(rejectSummary(items), [[4, 'metadata column "year" is declared a number but holds "soon"']]);
});

test('a UTF-8 byte order mark and CRLF line ends are read as plain text with exact line numbers', async (t) => {
  const path = writeTempFile(tempDir(t), 'excel.csv', '\uFEFFid,text\r\n1,"first\r\nsecond"\r\n2,café\r\n');

  const items = await collect(csvSource(path, { textFields: ['text'], idField: 'id' }));

  // The BOM is not part of the first column's name, and CRLF inside a quoted field reads as LF.
  assert.deepEqual(
    documentsOf(items).map((d) => [d.id, d.text, d.line]),
    [
      ['1', 'first\nsecond', 2],
      ['2', 'café', 4],
    ],
  );
});

test('a .tsv file splits on tabs, so commas stay inside fields', async (t) => {
  const path = writeTempFile(tempDir(t), 'pairs.tsv', 'id\ttext\tgenre\n1\tOne, two, three.\tnews\n2\tFour.\tforum\n');

  const items = await collect(csvSource(path, { textFields: ['text'], idField: 'id', metadataFields: ['genre'] }));

  assert.deepEqual(
    documentsOf(items).map((d) => [d.id, d.text, d.metadata.genre]),
    [
      ['1', 'One, two, three.', 'news'],
      ['2', 'Four.', 'forum'],
    ],
  );
});

test('several text columns are joined with a blank line, leaving out blank ones', async (t) => {
  const path = writeTempFile(tempDir(t), 'articles.csv', 'title,body\n Title A ,Body A.\n,Body B only.\nTitle C,  \n');

  const items = await collect(csvSource(path, { textFields: ['title', 'body'] }));

  assert.deepEqual(
    documentsOf(items).map((d) => d.text),
    ['Title A\n\nBody A.', 'Body B only.', 'Title C'],
  );
});

test('without an id column a row is identified by the file name and the line it starts on', async (t) => {
  const path = writeTempFile(tempDir(t), 'rows.csv', 'text\n"two\nlines"\nnext\n');

  const items = await collect(csvSource(path, { textFields: ['text'] }));

  assert.deepEqual(
    documentsOf(items).map((d) => d.id),
    ['rows.csv:2', 'rows.csv:4'],
  );
});

test('columns missing from the header fail before any row is read, naming the columns and the file', async (t) => {
  const path = writeTempFile(tempDir(t), 'products.csv', 'sku,title\n1,Lamp\n');
  const options = { textFields: ['title', 'description'], idField: 'sku', metadataFields: ['price'] };

  const isColumnMissing = (err: unknown) =>
    isEmbedlineError(err) &&
    err.code === 'COLUMN_MISSING' &&
    err.message.includes('"description", "price"') &&
    err.message.includes(path);
  await assert.rejects(openSource(path, options), isColumnMissing);
  const seen: unknown[] = [];
  await assert.rejects(async () => {
    for await (const item of csvSource(path, options)) seen.push(item);
  }, isColumnMissing);
  assert.deepEqual(seen, []);
});

test('bad rows become rejects with their line and reason, and every good row is still read', async (t) => {
  const megabyteOfText = 'lorem ipsum dolor sit amet '.repeat(40_000).trim();
  const path = writeTempFile(
    tempDir(t),
    'bad-rows.csv',
    Buffer.concat([
      Buffer.from(
        [
          'id,text,lang',
          'g1,First good row.,en',
          'b1,the 5" screen,en',
          'g2,"Second, good row.",en',
          'b2,too,many,fields',
          'b3,,en',
          'b4,"   ",en',
          `big,"${megabyteOfText}",en`,
          'b5,',
        ].join('\n'),
      ),
      Buffer.from([0xc3, 0x28]), // a lead byte without its continuation
      Buffer.from(',en\nb6,fine text,'),
      Buffer.from([0xff]),
      Buffer.from(['', 'g1,Again the first id.,en', ',No id here.,en', 'g3,Third good row.,en', '', 'b7,"never closed,en', 'g4,swallowed by the quote,en', ''].join('\n')),
    ]),
  );

  const items = await collect(csvSource(path, { textFields: ['text'], idField: 'id', metadataFields: ['lang'] }));

  assert.deepEqual(
    documentsOf(items).map((d) => [d.id, d.line, d.text.length]),
    [
      ['g1', 2, 'First good row.'.length],
      ['g2', 4, 'Second, good row.'.length],
      ['big', 8, megabyteOfText.length],
      ['g3', 13, 'Third good row.'.length],
    ],
  );
  const rejects = rejectSummary(items);
  assert.equal(rejects.length, 9);
  assert.match(rejects[0][1], /^malformed CSV: Invalid Opening Quote: a quote is found on field 1 at line 3/);
  assert.equal(rejects[0][0], 3);
  assert.deepEqual(rejects.slice(1, 8), [
    [5, 'expected 3 fields (as in the header), got 4'],
    [6, 'empty text (column "text")'],
    [7, 'text is only whitespace (column "text")'],
    [9, 'invalid UTF-8 in column "text"'],
    [10, 'invalid UTF-8 in column "lang"'],
    [11, 'duplicate id "g1" (first at line 2)'],
    [12, 'empty id in column "id"'],
  ]);
  assert.equal(rejects[8][0], 15);
  assert.match(rejects[8][1], /^malformed CSV: Quote Not Closed: .*; the record runs from line 15 to line 16 \(an unbalanced quote joins the lines after it into one record\)/);
});

test('text after a closing quote keeps the field open until a quote closes it: the rows in between are rejected with it', async (t) => {
  const path = writeTempFile(tempDir(t), 'sloppy.csv', ['id,text', 'a,"quoted" then text', 'b,inside the open field', 'c,"closes here"', 'd,after it', ''].join('\n'));

  const items = await collect(csvSource(path, { textFields: ['text'], idField: 'id' }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['d']);
  const rejects = rejectSummary(items);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0][0], 2);
  assert.match(rejects[0][1], /^malformed CSV: Invalid Closing Quote: got " " at line 2.*the record runs from line 2 to line 4/);
});

test('relaxQuotes reads stray quotes as text; quote: null turns quoting off', async (t) => {
  const dir = tempDir(t);
  const csv = writeTempFile(dir, 'screens.csv', 'id,text\n1,the 5" screen\n');
  const tsv = writeTempFile(dir, 'raw.tsv', 'id\ttext\n1\t"quoted" start\n2\tsays "hi"\n');

  const relaxed = await collect(csvSource(csv, { textFields: ['text'], relaxQuotes: true }));
  const unquoted = await collect(csvSource(tsv, { textFields: ['text'], quote: null }));

  assert.deepEqual(documentsOf(relaxed).map((d) => d.text), ['the 5" screen']);
  assert.deepEqual(documentsOf(unquoted).map((d) => d.text), ['"quoted" start', 'says "hi"']);
});

test('a row over maxRowBytes is rejected; one over the parser cap (4 × maxRowBytes) ends the run', async (t) => {
  const dir = tempDir(t);
  const bigRow = `2,${'x'.repeat(2000)}`;
  const over = writeTempFile(dir, 'over.csv', `id,text\n1,small\n${bigRow}\n3,small again\n`);
  const runaway = writeTempFile(dir, 'runaway.csv', `id,text\n1,small\n2,"${'never closed '.repeat(500)}\n3,lost\n`);

  const items = await collect(csvSource(over, { textFields: ['text'], idField: 'id', maxRowBytes: 1000 }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['1', '3']);
  assert.deepEqual(rejectSummary(items), [[3, `row is ${bigRow.length + 1} bytes, over the limit of 1000 (--max-row-bytes, maxRowBytes)`]]);
  await assert.rejects(
    collect(csvSource(runaway, { textFields: ['text'], maxRowBytes: 1000 })),
    (err: unknown) => isEmbedlineError(err) && err.code === 'SOURCE_INVALID' && /record starting at line 3 is over 4000 bytes/.test(err.message),
  );
});

test('rows are read as they arrive: the first document comes before the file is complete', async (t) => {
  const fifo = join(tempDir(t), 'stream.csv');
  execFileSync('mkfifo', [fifo]);
  const writer = createWriteStream(fifo);
  writer.write('id,text\n1,first\n2,second\n');

  const rows = csvSource(fifo, { textFields: ['text'], idField: 'id' });
  const first = await rows.next();
  writer.end('3,third\n');
  const rest = await collect(rows);

  assert.equal(first.value?.kind === 'document' && first.value.id, '1');
  assert.deepEqual(documentsOf(rest).map((d) => d.id), ['2', '3']);
});

test('each broken row is its own reject, even two identical ones in a row or one on a last line without a line end', async (t) => {
  const path = writeTempFile(tempDir(t), 'twins.csv', 'id,text\n1,a "b" c\n1,a "b" c\n2,fine\n3,x "y"');

  const items = await collect(csvSource(path, { textFields: ['text'] }));

  assert.deepEqual(documentsOf(items).map((d) => d.line), [4]);
  assert.deepEqual(rejectSummary(items).map(([line, reason]) => [line, reason.slice(0, 36)]), [
    [2, 'malformed CSV: Invalid Opening Quote'],
    [3, 'malformed CSV: Invalid Opening Quote'],
    [5, 'malformed CSV: Invalid Opening Quote'],
  ]);
});
