// The main job end to end on real Redis and the real model, against whichever store the
// environment selects: CSV in, search out, re-runs that skip unchanged rows, edits that replace
// chunks, and rejects counted exactly. ingest.test.ts runs it on the embedded store,
// ingest-qdrant.test.ts with QDRANT_URL pointing at the Qdrant stand-in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

export function runIngestFlow(label: string, storeEnv: () => Promise<{ env: NodeJS.ProcessEnv; stop(): Promise<void> }>): void {
  describe(`ingest end to end (${label})`, () => {
    const iso = isolatedEnv(`ingest-${label}`);
    let stopStore = async () => undefined as void;
    after(async () => {
      await stopStore();
      await iso.cleanup();
    });

    interface Summary {
      added: number;
      unchanged: number;
      updated: number;
      deleted: number;
      rejected: number;
      chunks: number;
      failedJobs: number;
      rejectsFile?: string;
    }

    async function ingest(file: string, collection: string, extra: string[] = []): Promise<Summary> {
      const r = await runCli(['ingest', file, '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--metadata-columns', 'category,year', '--json', ...extra], { env: iso.env });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    }

    async function search(collection: string, query: string, extra: string[] = []) {
      const r = await runCli(['search', query, '--collection', collection, '--json', ...extra], { env: iso.env });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as { hits: Array<{ id: string; score: number; documentId: string; chunkIndex: number; text: string; metadata: Record<string, unknown> }> };
    }

    async function points(collection: string): Promise<{ points: number; documents: number }> {
      const r = await runCli(['collections', '--json'], { env: iso.env });
      assert.equal(r.code, 0, r.stderr);
      const found = (JSON.parse(r.stdout).collections as Array<{ name: string; points: number; documents: number }>).find((c) => c.name === collection);
      assert.ok(found, `collection ${collection} listed`);
      return { points: found.points, documents: found.documents };
    }

    const csvPath = join(iso.dir, 'corpus.csv');
    const rows = [
      ['a1', 'The sun fuses hydrogen into helium in its core, releasing enormous energy as light.', 'astronomy', '2020'],
      ['a2', 'Sourdough bread rises because wild yeast and lactic bacteria ferment the dough.', 'cooking', '2021'],
      ['a3', 'The Roman Empire split into eastern and western halves in the late fourth century.', 'history', '2019'],
      ['a4', 'Rust prevents data races at compile time through ownership and borrowing rules.', 'programming', '2022'],
      ['a5', 'Mitochondria produce most of the chemical energy that powers a cell.', 'biology', '2020'],
    ];
    const longBody = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} explains one more detail about glaciers, how ice flows downhill under its own weight, and how moraines mark where it stopped.`).join('\n\n');

    function writeCorpus(extraRows: string[][] = []): void {
      const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
      const lines = ['id,body,category,year', ...[...rows, ['g1', longBody, 'geography', '2018'], ...extraRows].map((r) => r.map(quote).join(','))];
      writeFileSync(csvPath, `${lines.join('\n')}\n`);
    }

    let first: Summary;
    before(async () => {
      const store = await storeEnv();
      Object.assign(iso.env, store.env);
      stopStore = store.stop;
      writeCorpus();
      first = await ingest(csvPath, 'docs');
    });

    test('first run adds every row, embeds every chunk, and a query finds the right row first', async () => {
      assert.equal(first.added, 6);
      assert.equal(first.rejected, 0);
      assert.equal(first.failedJobs, 0);
      assert.ok(first.chunks > 6, `the long row is chunked: ${first.chunks} chunks`);
      const { points: stored } = await points('docs');
      assert.equal(stored, first.chunks);
      const { hits } = await search('docs', 'how do stars make energy');
      assert.equal(hits[0].documentId, 'a1');
      assert.deepEqual(hits[0].metadata, { category: 'astronomy', year: '2020' });
      assert.ok(hits[0].score > hits[1].score);
    });

    test('filters narrow the hits: equality and any-of', async () => {
      const { hits } = await search('docs', 'energy', ['--filter', '{"category": "biology"}']);
      assert.deepEqual([...new Set(hits.map((h) => h.documentId))], ['a5']);
      const anyOf = await search('docs', 'energy', ['--filter', '{"category": ["biology", "astronomy"]}', '--k', '5']);
      assert.deepEqual(new Set(anyOf.hits.map((h) => h.documentId)), new Set(['a1', 'a5']));
    });

    test('a filter value is read as the field\'s recorded type: the CSV year "2020" is found by the number 2020', async () => {
      const { hits } = await search('docs', 'energy', ['--filter', '{"year": 2020}']);
      assert.deepEqual(new Set(hits.map((h) => h.documentId)), new Set(['a1', 'a5']));
      const r = await runCli(['collections', '--json'], { env: iso.env });
      const docs = (JSON.parse(r.stdout).collections as Array<{ name: string; fields: unknown }>).find((c) => c.name === 'docs');
      assert.deepEqual(docs?.fields, { category: 'keyword', year: 'keyword' });
    });

    test('the long document is chunked with exact offsets, none over the model limit', async () => {
      const { hits } = await search('docs', 'glaciers and moraines', ['--k', '50', '--filter', '{"documentId": "g1"}']);
      assert.ok(hits.length > 1);
      const indices = hits.map((h) => h.chunkIndex).sort((a, b) => a - b);
      assert.deepEqual(indices, indices.map((_, i) => i), 'chunk indices 0..n-1, no duplicates');
      for (const h of hits) assert.ok(longBody.includes(h.text), 'chunk text is an exact source substring');
    });

    test('a second run finds everything unchanged and adds no points', async () => {
      const before = await points('docs');
      const again = await ingest(csvPath, 'docs');
      assert.deepEqual({ added: again.added, updated: again.updated, unchanged: again.unchanged, chunks: again.chunks }, { added: 0, updated: 0, unchanged: 6, chunks: 0 });
      assert.deepEqual(await points('docs'), before);
    });

    test('an edited row is updated and its surplus chunks are gone; --prune deletes vanished rows', async () => {
      // g1 shrinks from many chunks to one; a3 disappears from the source.
      const edited = rows.filter((r) => r[0] !== 'a3');
      const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
      writeFileSync(csvPath, ['id,body,category,year', ...[...edited, ['g1', 'Glaciers are slow rivers of ice.', 'geography', '2018']].map((r) => r.map(quote).join(','))].join('\n') + '\n');
      const run = await ingest(csvPath, 'docs', ['--prune']);
      assert.deepEqual({ added: run.added, updated: run.updated, unchanged: run.unchanged, deleted: run.deleted, chunks: run.chunks }, { added: 0, updated: 1, unchanged: 4, deleted: 1, chunks: 1 });
      assert.deepEqual(await points('docs'), { points: 5, documents: 5 });
      const { hits } = await search('docs', 'glaciers', ['--filter', '{"documentId": "g1"}']);
      assert.deepEqual(hits.map((h) => [h.chunkIndex, h.text]), [[0, 'Glaciers are slow rivers of ice.']]);
      writeCorpus();
    });

    test('a bad-row corpus: every reject counted exactly, good rows still indexed', async () => {
      const bad = join(iso.dir, 'bad.csv');
      const big = 'x'.repeat(1024 * 1024);
      const content = Buffer.concat([
        Buffer.from('id,body,category,year\n'),
        Buffer.from('b1,A perfectly good row about volcanoes.,geography,2020\n'),
        Buffer.from('b2,   ,geography,2020\n'), // whitespace-only text
        Buffer.from('b3,,geography,2020\n'), // empty text
        Buffer.from('b4,too,many,columns,here\n'), // wrong column count
        Buffer.from('b5,'),
        Buffer.from([0x49, 0x6e, 0xff, 0xfe, 0x76, 0x61, 0x6c, 0x69, 0x64]), // invalid UTF-8
        Buffer.from(',geography,2020\n'),
        Buffer.from('b1,Duplicate id of the first row.,geography,2020\n'),
        Buffer.from(`b6,${big},geography,2020\n`), // a 1 MB cell
        Buffer.from('b7,Another good row about rivers and deltas.,geography,2021\n'),
      ]);
      writeFileSync(bad, content);
      const summary = await ingest(bad, 'bad');
      const rejects = readFileSync(summary.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { line: number; reason: string });
      assert.equal(summary.rejected, rejects.length);
      assert.deepEqual(rejects.map((r) => r.line), [3, 4, 5, 6, 7]);
      assert.match(rejects.find((r) => r.line === 7)!.reason, /duplicate id/i);
      assert.match(rejects.find((r) => r.line === 6)!.reason, /UTF-8/i);
      // b1, b7 and the 1 MB cell (accepted and chunked, never truncated).
      assert.equal(summary.added, 3);
      const { hits } = await search('bad', 'volcanoes');
      assert.equal(hits[0].documentId, 'b1');
    });

    test('a column named on the command line but missing from the header fails before anything is queued', async () => {
      const r = await runCli(['ingest', csvPath, '--collection', 'nope', '--text-column', 'content', '--json'], { env: iso.env });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /content/);
      assert.match(r.stderr, /corpus\.csv/);
      const list = await runCli(['collections', '--json'], { env: iso.env });
      assert.ok(!JSON.parse(list.stdout).collections.some((c: { name: string }) => c.name === 'nope'));
    });

    test('--bulk-load defers index building during the load and leaves the collection searchable', async () => {
      const run = await ingest(csvPath, 'bulk', ['--bulk-load']);
      assert.equal(run.added, 6);
      const { hits } = await search('bulk', 'how do stars make energy');
      assert.equal(hits[0].documentId, 'a1');
    });

    test('a collection built with one pooling refuses another', async () => {
      const r = await runCli(['ingest', csvPath, '--collection', 'docs', '--text-column', 'body', '--id-column', 'id', '--pooling', 'cls'], { env: iso.env });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /pooling: collection has "mean", requested "cls"/);
    });
  });
}
