// `embedline search --mode` and the HTTP body's `mode` on a corpus ingested by the real CLI (real
// Redis, real model, the embedded store): a product code is found by keyword and hybrid; a re-run
// that changes a document and a --prune that drops one keep the keyword index current (the old
// words are not found any more); a collection built before keyword search answers keyword and
// hybrid with one line naming reindex (exit 1, HTTP 409), and `reindex` gives it its keyword index;
// a bad mode is refused by name.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from '@lancedb/lancedb';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';
import { testSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('search-modes');
const COLLECTION = 'parts';

const first: Record<string, string> = {
  p1: 'The pump housing is cast aluminium and carries part number QZ-7781 on its label.',
  p2: 'Replace the drive belt every two years or when it starts to squeal.',
  p3: 'The thermostat keeps the coolant at a steady temperature; model TX-550 is discontinued.',
};

function writeCsv(name: string, docs: Record<string, string>): string {
  const csv = join(iso.dir, name);
  writeFileSync(csv, ['id,body', ...Object.entries(docs).map(([id, body]) => `${id},"${body}"`)].join('\n') + '\n');
  return csv;
}

async function ingest(csv: string, ...extra: string[]): Promise<void> {
  const run = await runCli(['ingest', csv, '--collection', COLLECTION, '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress', ...extra], { env: iso.env });
  assert.equal(run.code, 0, run.stderr);
}

async function search(text: string, mode: string, collection = COLLECTION): Promise<SearchHit[]> {
  const r = await runCli(['search', text, '--collection', collection, '--mode', mode, '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { hits: SearchHit[] }).hits;
}

before(async () => ingest(writeCsv('v1.csv', first)));
after(async () => iso.cleanup());

test('a product code is found first by keyword and by hybrid; keyword finds only chunks that hold it', async () => {
  const keyword = await search('QZ-7781', 'keyword');
  assert.deepEqual(keyword.map((h) => h.documentId), ['p1']);
  const hybrid = await search('QZ-7781', 'hybrid');
  assert.equal(hybrid[0].documentId, 'p1');
  assert.equal(hybrid.length, 3, 'hybrid keeps the dense hits after the keyword match');
  const dense = await search('QZ-7781', 'dense');
  assert.equal(dense.length, 3);
});

test('a re-run with changed text and --prune keeps the keyword index current', async () => {
  // p1 loses its part number, p3 leaves the source, p4 arrives.
  await ingest(writeCsv('v2.csv', { p1: 'The pump housing is cast aluminium.', p2: first.p2, p4: 'Gasket kit GK-31 fits every pump made since 2019.' }), '--prune');
  assert.deepEqual(await search('QZ-7781', 'keyword'), []);
  assert.deepEqual(await search('TX-550', 'keyword'), []);
  assert.deepEqual((await search('GK-31', 'keyword')).map((h) => h.documentId), ['p4']);
  assert.ok(!(await search('TX-550 thermostat', 'hybrid')).some((h) => h.documentId === 'p3'));
});

test('a collection built before keyword search answers keyword and hybrid with one line naming reindex; reindex builds the index', async () => {
  // Make the collection as it was before keyword search: its table without the keywords column.
  const db = await connect(iso.dataDir);
  const table = await db.openTable(`${COLLECTION}__v1`);
  for (const index of await table.listIndices()) if (index.columns[0] === 'keywords') await table.dropIndex(index.name);
  await table.dropColumns(['keywords']);
  table.close();
  db.close();

  for (const mode of ['keyword', 'hybrid']) {
    const r = await runCli(['search', 'GK-31', '--collection', COLLECTION, '--mode', mode], { env: iso.env });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`collection "${COLLECTION}" has no keyword index .*run "embedline reindex --collection ${COLLECTION}"`));
  }
  assert.equal((await search('GK-31', 'dense')).length, 3, 'dense search works as before');

  const servers = testSearchServers(iso);
  try {
    const app = await servers.server();
    const searchBody = (payload: object) => app.inject({ method: 'POST', url: `/v1/collections/${COLLECTION}/search`, payload });
    const old = await searchBody({ query: 'GK-31', mode: 'hybrid' });
    assert.equal(old.statusCode, 409);
    assert.equal(old.json().error.code, 'KEYWORD_INDEX_MISSING');
    const bad = await searchBody({ query: 'pump', mode: 'fuzzy' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /body\.mode must be one of dense, keyword, hybrid/);
    const threshold = await searchBody({ query: 'pump', mode: 'hybrid', scoreThreshold: 0.5 });
    assert.equal(threshold.statusCode, 400);
    assert.match(threshold.json().error.message, /scoreThreshold is a dense similarity and cannot be combined with mode hybrid/);

    const reindex = await runCli(['reindex', '--collection', COLLECTION, '--grace-seconds', '0', '--json'], { env: iso.env });
    assert.equal(reindex.code, 0, reindex.stderr);
    assert.deepEqual((await search('GK-31', 'keyword')).map((h) => h.documentId), ['p4']);
    const now = await searchBody({ query: 'GK-31', mode: 'keyword' });
    assert.deepEqual((now.json().hits as SearchHit[]).map((h) => h.documentId), ['p4']);
  } finally {
    await servers.close();
  }
});

test('eval retrieval --modes scores each mode on the user\'s own queries, one row each', async () => {
  const queries = join(iso.dir, 'queries.jsonl');
  writeFileSync(queries, [{ query: 'GK-31', expected: 'p4' }, { query: 'when should the drive belt be replaced', expected: 'p2' }].map((q) => JSON.stringify(q)).join('\n') + '\n');
  const r = await runCli(['eval', 'retrieval', '--collection', COLLECTION, '--queries', queries, '--modes', 'dense,keyword,hybrid', '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  const { collection, variants } = JSON.parse(r.stdout) as { collection: string; variants: Array<{ mode: string; queries: number; recallAt1: number; mrrAt10: number }> };
  assert.equal(collection, COLLECTION);
  assert.deepEqual(variants.map((v) => [v.mode, v.queries]), [['dense', 2], ['keyword', 2], ['hybrid', 2]]);
  const keyword = variants[1];
  assert.ok(keyword.recallAt1 >= 0.5, 'the code query is found first by keyword');
  for (const v of variants) assert.ok(v.mrrAt10 >= v.recallAt1 && v.mrrAt10 <= 1);
  const table = await runCli(['eval', 'retrieval', '--collection', COLLECTION, '--queries', queries, '--modes', 'keyword,hybrid'], { env: iso.env });
  assert.equal(table.code, 0, table.stderr);
  assert.deepEqual(table.stdout.trim().split('\n').map((line) => line.split(/\s+/).slice(0, 2)), [['collection', 'mode'], [COLLECTION, 'keyword'], [COLLECTION, 'hybrid']]);
});

test('a bad --mode is refused by name before anything runs', async () => {
  const r = await runCli(['search', 'pump', '--collection', COLLECTION, '--mode', 'fuzzy'], { env: iso.env });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--mode must be one of dense, keyword, hybrid, got "fuzzy"/);
});
