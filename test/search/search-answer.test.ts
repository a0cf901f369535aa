// Answers as people read them (src/search/search-answer.ts): grouping by document from an
// over-fetch of k × 10 chunks, and the "no close match" flag from the collection's recorded floor,
// which dense answers carry and keyword or hybrid ones never do. The service is a stand-in that
// records what it was asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScoreFloor } from '../../src/contracts/score-floor.ts';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { groupByDocument, groupCandidates, searchAnswer, searchAnswers } from '../../src/search/search-answer.ts';
import type { SearchOptions, SearchService } from '../../src/search/search-service.ts';
import { percentile, readUnrelatedPairs } from '../../src/search/score-floor.ts';
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

function fakeService(hits: SearchHit[], floor?: ScoreFloor) {
  const asked: SearchOptions[] = [];
  const service = {
    search: async (_collection: string, queries: readonly string[], options: SearchOptions) => {
      asked.push(options);
      return queries.map(() => hits.slice(0, options.k ?? 10));
    },
    catalog: { describe: async () => ({ scoreFloor: floor }) },
  } as unknown as SearchService;
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

test('a grouped search asks the service for k × 10 chunks (at most 1000) and returns k documents', async () => {
  const hits = Array.from({ length: 60 }, (_, i) => hit(`d${i % 7}`, Math.floor(i / 7), 1 - i / 100));
  const { service, asked } = fakeService(hits);
  const answer = await searchAnswer(service, 'c', 'q', { k: 5, groupBy: 'document' });
  assert.equal(asked[0].k, 50);
  assert.equal(groupCandidates(500), 1000);
  assert.deepEqual(answer.hits.map((h) => h.documentId), ['d0', 'd1', 'd2', 'd3', 'd4']);
  assert.deepEqual(answer.hits.map((h) => (h as { matches: number }).matches), [8, 7, 7, 7, 7]);
  const plain = await searchAnswer(service, 'c', 'q', { k: 5 });
  assert.equal(asked[1].k, 5);
  assert.equal(plain.hits.length, 5);
  assert.equal('matches' in plain.hits[0], false);
});

test('noCloseMatch: a dense best hit below the floor (or none) is flagged; above it, or without a floor, it is not', async () => {
  const weak = await searchAnswer(fakeService([hit('a', 0, 0.2)], FLOOR).service, 'c', 'zzzqqq');
  assert.deepEqual([weak.noCloseMatch, weak.scoreFloor], [true, 0.37]);
  const empty = await searchAnswer(fakeService([], FLOOR).service, 'c', 'q');
  assert.equal(empty.noCloseMatch, true);
  const close = await searchAnswer(fakeService([hit('a', 0, 0.37)], FLOOR).service, 'c', 'q');
  assert.equal(close.noCloseMatch, false);
  const unfloored = await searchAnswer(fakeService([hit('a', 0, 0.01)]).service, 'c', 'q');
  assert.deepEqual([unfloored.noCloseMatch, unfloored.scoreFloor], [false, undefined]);
});

test('a groupBy other than document is refused by name (library callers are not schema-checked)', async () => {
  await assert.rejects(searchAnswer(fakeService([]).service, 'c', 'q', { groupBy: 'chunk' as 'document' }), /groupBy must be one of document, got "chunk"/);
});

test('keyword and hybrid answers are never flagged: their scores are not similarities', async () => {
  for (const mode of ['keyword', 'hybrid'] as const) {
    const [answer] = await searchAnswers(fakeService([hit('a', 0, 0.01)], FLOOR).service, 'c', ['q'], { mode });
    assert.deepEqual([answer.noCloseMatch, answer.scoreFloor], [false, undefined]);
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
