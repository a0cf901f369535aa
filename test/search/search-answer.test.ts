// Answers as people read them (SearchService.search): grouping by document from an over-fetch of
// k × 10 chunks, and the "no close match" flag from the collection's recorded floor, which dense
// answers carry and keyword or hybrid ones never do. The service is the real one, over a stand-in
// store that records the k it was asked for and a stand-in model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreFloor } from '../../src/contracts/score-floor.ts';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { groupByDocument, groupCandidates, SearchService } from '../../src/search/search-service.ts';
import { percentile, readUnrelatedPairs } from '../../src/search/score-floor.ts';
import type { CollectionInfo, VectorStore } from '../../src/store/vector-store.ts';
import { testSpec } from '../store/store-fixtures.ts';
import { tempDir, writeTempFile } from '../support/temp-files.ts';

const hit = (documentId: string, chunkIndex: number, score: number): SearchHit => ({
  id: `${documentId}#${chunkIndex}`,
  score,
  documentId,
  chunkIndex,
  text: `${documentId} ${chunkIndex}`,
  start: 0,
  end: 3,
  metadata: {},
});

/** A SearchService whose store answers every query (dense or keyword) with `hits`, cut to the k asked, which it records. */
function serviceOver(hits: SearchHit[], floor?: ScoreFloor) {
  const asked: number[] = [];
  const spec = testSpec(2);
  const answer = (queries: number, k: number) => {
    asked.push(k);
    return Array.from({ length: queries }, () => hits.slice(0, k));
  };
  const store = {
    describe: async (name: string) => ({ name, spec, points: 1, documents: 1, scoreFloor: floor }) as CollectionInfo,
    searchBatch: async (_name: string, vectors: readonly Float32Array[], k: number) => answer(vectors.length, k),
    searchText: async (_name: string, queries: readonly unknown[], k: number) => answer(queries.length, k),
  } as unknown as VectorStore;
  const embedder = { embed: async (texts: readonly string[]) => ({ vectors: texts.map(() => Float32Array.of(1, 0)) }) } as unknown as Embedder;
  const service = new SearchService(store, { parallelRuns: 1, forSpec: async () => embedder });
  return { service, asked };
}

const FLOOR: ScoreFloor = { value: 0.37, percentile: 95, pairs: 242, source: 'sts-dev.csv' };

test('grouping keeps each document once, by its best chunk (hits come best first), counting its chunks', () => {
  const grouped = groupByDocument([hit('a', 2, 0.9), hit('b', 0, 0.8), hit('a', 0, 0.7), hit('c', 1, 0.6), hit('a', 5, 0.5), hit('b', 1, 0.4)], 2);
  assert.deepEqual(
    grouped.map((h) => [h.documentId, h.chunkIndex, h.score, h.matches]),
    [
      ['a', 2, 0.9, 3],
      ['b', 0, 0.8, 2],
    ],
  );
});

test('a grouped search asks the store for k × 10 chunks (at most 1000) and returns k documents', async () => {
  const hits = Array.from({ length: 60 }, (_, i) => hit(`d${i % 7}`, Math.floor(i / 7), 1 - i / 100));
  const { service, asked } = serviceOver(hits);
  const answer = await service.search('c', 'q', { k: 5, groupBy: 'document' });
  assert.equal(asked[0], 50);
  assert.equal(groupCandidates(500), 1000);
  assert.deepEqual(answer.hits.map((h) => h.documentId), ['d0', 'd1', 'd2', 'd3', 'd4']);
  assert.deepEqual(answer.hits.map((h) => (h as { matches: number }).matches), [8, 7, 7, 7, 7]);
  const plain = await service.search('c', 'q', { k: 5 });
  assert.equal(asked[1], 5);
  assert.equal(plain.hits.length, 5);
  assert.equal('matches' in plain.hits[0], false);
  // Grouped and listed: each query of a list is grouped on its own.
  const [first, second] = await service.search('c', ['q', 'r'], { k: 2, groupBy: 'document' });
  assert.deepEqual([first.hits.length, second.hits.length, asked[2]], [2, 2, 20]);
});

test('noCloseMatch: a dense best hit below the floor (or none) is flagged; above it, or without a floor, it is not', async () => {
  const weak = await serviceOver([hit('a', 0, 0.2)], FLOOR).service.search('c', 'zzzqqq');
  assert.deepEqual([weak.noCloseMatch, weak.scoreFloor], [true, 0.37]);
  const empty = await serviceOver([], FLOOR).service.search('c', 'q');
  assert.equal(empty.noCloseMatch, true);
  const close = await serviceOver([hit('a', 0, 0.37)], FLOOR).service.search('c', 'q');
  assert.equal(close.noCloseMatch, false);
  const unfloored = await serviceOver([hit('a', 0, 0.01)]).service.search('c', 'q');
  assert.deepEqual([unfloored.noCloseMatch, unfloored.scoreFloor], [false, undefined]);
});

test('a groupBy other than document is refused by name, before the store is asked (library callers are not schema-checked)', async () => {
  const { service, asked } = serviceOver([]);
  await assert.rejects(service.search('c', 'q', { groupBy: 'chunk' as 'document' }), /groupBy must be one of document, got "chunk"/);
  assert.deepEqual(asked, []);
});

test('keyword and hybrid answers are never flagged: their scores are not similarities', async () => {
  for (const mode of ['keyword', 'hybrid'] as const) {
    const [answer] = await serviceOver([hit('a', 0, 0.01)], FLOOR).service.search('c', ['q'], { mode });
    assert.deepEqual([answer.noCloseMatch, answer.scoreFloor, answer.hits.length], [false, undefined, 1]);
  }
});

test('calibration pairs: rows scored <= 0.5 are the unrelated ones; a row that is not STS-b is refused by line', (t) => {
  const dir = tempDir(t);
  const rows = Array.from({ length: 25 }, (_, i) => ['g', 'f', '2012', String(i), i < 21 ? '0.4' : '3.0', `a ${i}`, `b ${i}`].join('\t'));
  assert.equal(readUnrelatedPairs(writeTempFile(dir, 'ok.csv', rows.join('\n'))).length, 21);
  assert.throws(() => readUnrelatedPairs(writeTempFile(dir, 'bad.csv', [...rows, 'not a row'].join('\n'))), /bad\.csv:26: expected an STS Benchmark row/);
  assert.throws(() => readUnrelatedPairs(writeTempFile(dir, 'few.csv', rows.slice(0, 10).join('\n'))), /has 10 pairs scored <= 0\.5: at least 20/);
  assert.equal(percentile([5, 1, 4, 2, 3], 95), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 40), 2);
});
