import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonlSource } from '../../../src/producer/sources/jsonl-source.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { documentsOf, rejectSummary } from './source-items.ts';

test('each line is a document: text, id and metadata fields as named', async (t) => {
  const path = writeTempFile(
    tempDir(t),
    'news.jsonl',
    [
      JSON.stringify({ id: 'n1', title: 'Rates rise', body: 'The bank raised rates.', section: 'economy', score: 4.5, tags: ['a', 'b'] }),
      JSON.stringify({ id: 7, title: 'Storm', body: 'A storm hit the coast.', section: 'weather', paywalled: true }),
      '',
    ].join('\n'),
  );

  const items = await collect(jsonlSource(path, { textFields: ['title', 'body'], idField: 'id', metadataFields: ['section', 'score', 'tags', 'paywalled'] }));

  assert.deepEqual(items, [
    {
      kind: 'document',
      id: 'n1',
      text: 'Rates rise\n\nThe bank raised rates.',
      // Arrays of one scalar type stay arrays; absent fields become null so every document has the same keys.
      metadata: { section: 'economy', score: 4.5, tags: ['a', 'b'], paywalled: null },
      source: path,
      line: 1,
    },
    {
      kind: 'document',
      id: '7',
      text: 'Storm\n\nA storm hit the coast.',
      metadata: { section: 'weather', score: null, tags: null, paywalled: true },
      source: path,
      line: 2,
    },
  ]);
});

test('bad lines become rejects with their line and reason, and every good line is still read', async (t) => {
  const line = (value: unknown) => JSON.stringify(value);
  const path = writeTempFile(
    tempDir(t),
    'bad-lines.jsonl',
    Buffer.concat([
      Buffer.from('\uFEFF'),
      Buffer.from(
        [
          line({ id: 'g1', text: 'First good line.' }),
          '{"id": "b1", "text": "unterminated}',
          line(['an', 'array']),
          line({ id: 'b2' }),
          line({ id: 'b3', text: 42 }),
          line({ id: 'b4', text: '' }),
          line({ id: 'b5', text: ' \n\t ' }),
          line({ text: 'No id at all.' }),
          line({ id: { nested: true }, text: 'Id is an object.' }),
          line({ id: 'g1', text: 'Same id again.' }),
          '   ',
          line({ id: 'g2', text: 'Second good line, after a blank one.' }),
          '',
        ].join('\r\n'),
      ),
      Buffer.from('{"id": "b6", "text": "bad byte '),
      Buffer.from([0xe2, 0x28, 0xa1]),
      Buffer.from(`"}\n${line({ id: 'g3', text: 'Third good line.' })}`),
    ]),
  );

  const items = await collect(jsonlSource(path, { textFields: ['text'], idField: 'id' }));

  assert.deepEqual(documentsOf(items).map((d) => [d.id, d.line, d.text]), [
    ['g1', 1, 'First good line.'],
    ['g2', 12, 'Second good line, after a blank one.'],
    ['g3', 14, 'Third good line.'],
  ]);
  const rejects = rejectSummary(items);
  assert.equal(rejects.length, 10);
  assert.equal(rejects[0][0], 2);
  assert.match(rejects[0][1], /^invalid JSON: /);
  assert.deepEqual(rejects.slice(1), [
    [3, 'line is an array, not a JSON object'],
    [4, 'missing text field "text"'],
    [5, 'text field "text" is a number, not a string'],
    [6, 'empty text (field "text")'],
    [7, 'text is only whitespace (field "text")'],
    [8, 'missing id field "id"'],
    [9, 'id field "id" is an object, not a string or number'],
    [10, 'duplicate id "g1" (first at line 1)'],
    [13, 'line is not valid UTF-8'],
  ]);
});

test('a line over maxRowBytes is rejected without being held in memory, and reading goes on', async (t) => {
  const long = JSON.stringify({ id: 'long', text: 'word '.repeat(10_000) });
  const path = writeTempFile(tempDir(t), 'long.jsonl', `${JSON.stringify({ id: 'a', text: 'short' })}\n${long}\n${JSON.stringify({ id: 'b', text: 'also short' })}\n`);

  const items = await collect(jsonlSource(path, { textFields: ['text'], idField: 'id', maxRowBytes: 1024 }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['a', 'b']);
  assert.deepEqual(rejectSummary(items), [[2, `line is ${long.length} bytes, over the limit of 1024 (--max-row-bytes, maxRowBytes)`]]);
  assert.equal(items[1].kind === 'reject' && items[1].excerpt.startsWith('{"id":"long","text":"word word'), true);
});

test('without an id field a line is identified by the file name and its line number', async (t) => {
  const path = writeTempFile(tempDir(t), 'plain.jsonl', '{"text": "one"}\n\n{"text": "two"}\n');

  const items = await collect(jsonlSource(path, { textFields: ['text'] }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['plain.jsonl:1', 'plain.jsonl:3']);
});

test('metadata arrays of one scalar type are kept as arrays; objects, nested and mixed arrays are rejects naming the field, never stringified', async (t) => {
  const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
  const rows = [
    `{"id":"1","text":"Deep one.","meta":${deep}}`,
    '{"id":"2","text":"Tags.","meta":["a","b"]}',
    '{"id":"3","text":"Numbers.","meta":[1,2.5]}',
    '{"id":"4","text":"Empty.","meta":[]}',
    '{"id":"5","text":"Object.","meta":{"a":[1]}}',
    '{"id":"6","text":"Mixed.","meta":["a",1]}',
    '{"id":"7","text":"Nested.","meta":[["a"]]}',
    '{"id":"8","text":"Null inside.","meta":["a",null]}',
  ];
  const path = writeTempFile(tempDir(t), 'meta.jsonl', rows.join('\n') + '\n');

  const items = await collect(jsonlSource(path, { textFields: ['text'], idField: 'id', metadataFields: ['meta'] }));

  assert.deepEqual(rejectSummary(items), [
    [1, 'metadata field "meta" is an object: nested objects are not kept as metadata (give scalars or an array of one scalar type)'],
    [5, 'metadata field "meta" is an object: nested objects are not kept as metadata (give scalars or an array of one scalar type)'],
    [6, 'metadata field "meta" is an array of a string and a number: only arrays of one scalar type (strings, numbers or booleans) are kept as metadata'],
    [7, 'metadata field "meta" is an array of an array: only arrays of one scalar type (strings, numbers or booleans) are kept as metadata'],
    [8, 'metadata field "meta" is an array of a string and null: only arrays of one scalar type (strings, numbers or booleans) are kept as metadata'],
  ]);
  assert.deepEqual(documentsOf(items).map((d) => [d.id, d.metadata]), [
    ['2', { meta: ['a', 'b'] }],
    ['3', { meta: [1, 2.5] }],
    ['4', { meta: [] }],
  ]);
});

