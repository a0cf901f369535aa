// The Arrow batch a local write hands to merge-insert (store/local/point-batch.ts), checked column by
// column against the schema of a real LanceDB table: every column present, the vectors in order, nulls
// where a point lacks a metadata key, the keyword terms, the write version, a table's unknown columns as
// nulls, and one string column holding multi-byte text; then written and read back through Lance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from '@lancedb/lancedb';
import { keywordTerms } from '../../src/store/keyword-terms.ts';
import { filterText, metadataColumn } from '../../src/store/local/metadata-columns.ts';
import { pointTable } from '../../src/store/local/point-batch.ts';
import { COLUMNS, KEYWORDS_COLUMN, VERSION_COLUMN, tableSchema } from '../../src/store/local/table-layout.ts';
import { seededVectors, testPoint, testSpec } from './store-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedline-point-batch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a batch carries every column of the table schema, values in the points order, nulls where a point has none', async () => {
  const db = await connect(dir);
  const table = await db.createEmptyTable('batch', tableSchema(testSpec(4)), { mode: 'create' });
  const lang = metadataColumn('lang');
  const tags = metadataColumn('tags');
  await table.addColumns([
    { name: lang, valueSql: 'CAST(NULL AS STRING)' },
    { name: tags, valueSql: 'CAST(NULL AS STRING)' },
    { name: 'someone_elses', valueSql: 'CAST(NULL AS STRING)' },
  ]);
  const vectors = seededVectors(3, 4);
  const points = [
    testPoint('c', 'doc-a', 0, vectors[0], { metadata: { lang: 'en', tags: ['x', 'y'] }, version: 7, text: 'Grüße aus Köln, 向量数据库' }),
    testPoint('c', 'doc-a', 1, vectors[1], { metadata: { lang: 'de' }, version: 7 }),
    testPoint('c', 'doc-b', 0, vectors[2], { metadata: {} }),
  ];
  const schema = await table.schema();
  const batch = pointTable(points, schema);

  assert.deepEqual(batch.schema.fields.map((f) => f.name), schema.fields.map((f) => f.name));
  assert.equal(batch.numRows, 3);
  const column = (name: string) => [...(batch.getChild(name) ?? [])];
  assert.deepEqual(column(COLUMNS.id), points.map((p) => p.id));
  assert.deepEqual(column(COLUMNS.documentId), ['doc-a', 'doc-a', 'doc-b']);
  assert.deepEqual(column(COLUMNS.chunkIndex), [0, 1, 0]);
  assert.deepEqual(column(COLUMNS.text), points.map((p) => p.chunk.text));
  assert.deepEqual(column(COLUMNS.start), points.map((p) => p.chunk.start));
  assert.deepEqual(column(COLUMNS.end), points.map((p) => p.chunk.end));
  assert.deepEqual(column(COLUMNS.tokens), points.map((p) => p.chunk.tokens));
  assert.deepEqual(column(COLUMNS.contentHash), points.map((p) => p.chunk.contentHash));
  assert.deepEqual(column(COLUMNS.metadata), points.map((p) => JSON.stringify(p.chunk.metadata)));
  assert.deepEqual(column(VERSION_COLUMN), [7, 7, 0]);
  assert.deepEqual(column(KEYWORDS_COLUMN), points.map((p) => keywordTerms(p.chunk.text).join(' ')));
  assert.deepEqual(column(lang), [filterText('en'), filterText('de'), null]);
  assert.deepEqual(column(tags), [filterText(['x', 'y']), null, null]);
  assert.deepEqual(column('someone_elses'), [null, null, null]);
  assert.deepEqual(
    column(COLUMNS.vector).map((v) => Array.from(v as Iterable<number>)),
    vectors.map((v) => Array.from(v)),
  );

  // Lance takes it as it is, and gives back what was written.
  await table.mergeInsert(COLUMNS.id).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(batch);
  const rows = await table.query().select([COLUMNS.id, COLUMNS.text, lang, VERSION_COLUMN]).toArray();
  const byId = new Map(rows.map((r) => [r[COLUMNS.id] as string, r]));
  assert.equal(byId.get(points[0].id)?.[COLUMNS.text], 'Grüße aus Köln, 向量数据库');
  assert.equal(byId.get(points[1].id)?.[lang], filterText('de'));
  assert.equal(byId.get(points[2].id)?.[lang], null);
  assert.equal(byId.get(points[2].id)?.[VERSION_COLUMN], 0);
  table.close();
  db.close();
});
