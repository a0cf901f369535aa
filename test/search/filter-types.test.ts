// Filters whose values do not have the stored type: a JSONL corpus ingested by the real
// CLI records integer, float and bool fields; CLI and HTTP searches read filter values as those
// types ("120" finds 120), and a value a field can never hold is a one-line CLI error and an HTTP
// 400 naming the field, never a silent 0 hits.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('filter-types');
const COLLECTION = 'books';
let servers: TestSearchServers;
let app: FastifyInstance;

const books = [
  { id: 'b1', body: 'A field guide to the birds of northern Europe, with notes on migration.', pages: 120, rating: 4.5, draft: false },
  { id: 'b2', body: 'Baking bread at home: starters, flours, and the patience a good loaf needs.', pages: 300, rating: 3, draft: true },
  { id: 'b3', body: 'The history of bridges, from Roman arches to suspension spans of steel.', pages: 120, rating: 4, draft: false },
];

before(async () => {
  const file = join(iso.dir, 'books.jsonl');
  writeFileSync(file, books.map((b) => JSON.stringify(b)).join('\n') + '\n');
  const run = await runCli(
    ['ingest', file, '--collection', COLLECTION, '--text-field', 'body', '--id-field', 'id', '--metadata-fields', 'pages,rating,draft', '--json', '--no-progress'],
    { env: iso.env },
  );
  assert.equal(run.code, 0, run.stderr);
  servers = testSearchServers(iso);
  app = await servers.server();
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

async function cliSearch(filter: unknown) {
  return runCli(['search', 'books', '--collection', COLLECTION, '--json', '--filter', JSON.stringify(filter)], { env: iso.env });
}

async function httpSearch(filter: unknown) {
  return app.inject({ method: 'POST', url: `/v1/collections/${COLLECTION}/search`, payload: { query: 'books', filter } });
}

describe('filter values are read as the recorded field types', () => {
  test('ingest recorded the JSONL types', async () => {
    const r = await runCli(['collections', '--json'], { env: iso.env });
    const found = (JSON.parse(r.stdout).collections as Array<{ name: string; fields: unknown }>).find((c) => c.name === COLLECTION);
    assert.deepEqual(found?.fields, { pages: 'integer', rating: 'float', draft: 'bool' });
  });

  const matches: Array<[unknown, string[]]> = [
    [{ pages: '120' }, ['b1', 'b3']],
    [{ pages: 300 }, ['b2']],
    [{ rating: '4.5' }, ['b1']],
    [{ rating: 4 }, ['b3']],
    [{ draft: 'true' }, ['b2']],
    [{ draft: false, pages: '120' }, ['b1', 'b3']],
  ];
  for (const [filter, expected] of matches) {
    test(`${JSON.stringify(filter)} finds ${expected.join(', ')} on the CLI and over HTTP`, async () => {
      const cli = await cliSearch(filter);
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual((JSON.parse(cli.stdout).hits as Array<{ documentId: string }>).map((h) => h.documentId).sort(), expected);
      const http = await httpSearch(filter);
      assert.equal(http.statusCode, 200, http.body);
      assert.deepEqual((http.json().hits as Array<{ documentId: string }>).map((h) => h.documentId).sort(), expected);
    });
  }

  const impossible: Array<[unknown, RegExp]> = [
    [{ pages: 'many' }, /filter\.pages: "many" can never match: "pages" is recorded as integer/],
    [{ pages: 120.5 }, /filter\.pages: 120\.5 can never match/],
    [{ draft: 'maybe' }, /filter\.draft: "maybe" can never match: "draft" is recorded as bool/],
    [{ rating: [4, 'good'] }, /filter\.rating: "good" can never match: "rating" is recorded as float/],
  ];
  for (const [filter, message] of impossible) {
    test(`${JSON.stringify(filter)} is refused: one CLI line, HTTP 400 BAD_REQUEST`, async () => {
      const cli = await cliSearch(filter);
      assert.notEqual(cli.code, 0);
      assert.equal(cli.stdout, '');
      assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
      // --json: the line is {"error": {"code", "message"}}.
      const [error] = cliErrors(cli.stderr);
      assert.match(error?.message ?? '', message, cli.stderr);
      const http = await httpSearch(filter);
      assert.equal(http.statusCode, 400, http.body);
      assert.equal(http.json().error.code, 'BAD_REQUEST');
      assert.match(http.json().error.message, message);
    });
  }
});
