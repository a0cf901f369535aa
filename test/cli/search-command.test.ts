// `embedline search` on a small corpus ingested by the real CLI (real Redis, real model, the
// embedded store): the printed hits carry every field of the hit contract, `start`/`end` included
// and pointing at the chunk's text in its document; a query alone, the same query in a --queries
// file and the same query over HTTP go through one SearchService.search and give the same hits;
// k is checked once, with the one message.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { SearchHit as Hit } from '../../src/contracts/search-hit.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('search-command');
const COLLECTION = 'notes';
const QUERY = 'how do glaciers move';
const HIT_FIELDS = ['id', 'score', 'documentId', 'chunkIndex', 'text', 'start', 'end', 'metadata'];

/** Short notes, and one long document that chunks into several pieces (so some hits start past 0). */
const documents: Record<string, string> = {
  n1: 'The sun fuses hydrogen into helium in its core, releasing enormous energy as light.',
  n2: 'Sourdough bread rises because wild yeast and lactic bacteria ferment the dough.',
  n3: 'Rust prevents data races at compile time through ownership and borrowing rules.',
  long: Array.from({ length: 12 }, (_, i) => `Paragraph ${i} explains how glacier ice flows downhill under its own weight and grinds the valley floor.`).join('\n\n'),
};

let servers: TestSearchServers;

before(async () => {
  const csv = join(iso.dir, 'notes.csv');
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  writeFileSync(csv, ['id,body,topic', ...Object.entries(documents).map(([id, body]) => [id, quote(body), id === 'long' ? 'geo' : 'misc'].join(','))].join('\n') + '\n');
  const run = await runCli(
    ['ingest', csv, '--collection', COLLECTION, '--text-column', 'body', '--id-column', 'id', '--metadata-columns', 'topic', '--chunk-tokens', '40', '--overlap', '0', '--json', '--no-progress'],
    { env: iso.env },
  );
  assert.equal(run.code, 0, run.stderr);
  servers = testSearchServers(iso);
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

async function cliSearch(...args: string[]): Promise<string[]> {
  const r = await runCli(['search', ...args, '--collection', COLLECTION, '--json'], { env: iso.env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

/** Same documents, same order, scores equal up to float noise (a batch pads queries; one query does not). */
function assertSameHits(actual: Hit[], expected: Hit[], what: string): void {
  assert.deepEqual(
    actual.map(({ score: _s, ...rest }) => rest),
    expected.map(({ score: _s, ...rest }) => rest),
    what,
  );
  actual.forEach((h, i) => assert.ok(Math.abs(h.score - expected[i].score) < 1e-5, `${what}: score ${h.score} vs ${expected[i].score}`));
}

test('a hit prints every contract field in order, and start/end locate its text in the document', async () => {
  const [line] = await cliSearch(QUERY, '--k', '8');
  const { query, hits } = JSON.parse(line) as { query: string; hits: Hit[] };
  assert.equal(query, QUERY);
  assert.equal(hits.length, 8);
  for (const hit of hits) {
    assert.deepEqual(Object.keys(hit), HIT_FIELDS);
    assert.equal(documents[hit.documentId].slice(hit.start, hit.end), hit.text, `${hit.documentId}#${hit.chunkIndex}`);
  }
  assert.ok(hits.some((h) => h.documentId === 'long' && h.start > 0), 'a later chunk of the long document is found');
});

test('one query, the same query in a --queries file, and over HTTP: the same hits', async () => {
  const single = (JSON.parse((await cliSearch(QUERY, '--k', '5'))[0]) as { hits: Hit[] }).hits;
  const file = join(iso.dir, 'queries.jsonl');
  writeFileSync(file, [{ query: 'sourdough starter' }, { query: QUERY }].map((q) => JSON.stringify(q)).join('\n') + '\n');
  const lines = (await cliSearch('--queries', file, '--k', '5')).map((l) => JSON.parse(l) as { query: string; hits: Hit[] });
  assert.deepEqual(lines.map((l) => l.query), ['sourdough starter', QUERY]);
  assert.equal(lines[0].hits[0].documentId, 'n2');
  assertSameHits(lines[1].hits, single, '--queries');

  const app = await servers.server();
  const res = await app.inject({ method: 'POST', url: `/v1/collections/${COLLECTION}/search`, payload: { query: QUERY, k: 5 } });
  assert.equal(res.statusCode, 200, res.body);
  const http = (res.json() as { hits: Hit[] }).hits;
  http.forEach((hit) => assert.deepEqual(Object.keys(hit), HIT_FIELDS));
  assertSameHits(http, single, 'HTTP');
});

test('k over the limit, and a missing collection, are one line each with the messages of before', async () => {
  const r = await runCli(['search', QUERY, '--collection', COLLECTION, '--k', '1001'], { env: iso.env });
  assert.equal(r.code, 2, 'a bad value is a usage error');
  assert.equal(r.stderr.trim(), 'error: k must be an integer from 1 to 1000, got 1001');
  const missing = await runCli(['search', QUERY, '--collection', 'nothing-here'], { env: iso.env });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim(), 'error: collection "nothing-here" does not exist');
});
