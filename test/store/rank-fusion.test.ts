// Reciprocal rank fusion's one formula: Σ 1/(k + position) from 0, and Qdrant's weighted form,
// against figures Qdrant's own engine (qdrant-edge, the stand-in's) returned for the same lists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SearchHit } from '../../src/contracts/search-hit.ts';
import { DEFAULT_RRF_K, fuseByRank, fusionDepth } from '../../src/store/rank-fusion.ts';

const hit = (id: string, score = 0): SearchHit => ({ id, score, documentId: id, chunkIndex: 0, text: id, start: 0, end: id.length, metadata: {} });
const list = (...ids: string[]) => ids.map((id) => hit(id, 1));

test('equal weights: 1/(60 + position), summed over the lists, best first, top k', () => {
  const fused = fuseByRank([list('a', 'b', 'c'), list('c', 'd')], 3);
  assert.deepEqual(fused.map((h) => h.id), ['c', 'a', 'b']);
  assert.equal(fused[0].score, 1 / 62 + 1 / 60);
  assert.equal(fused[1].score, 1 / 60);
  assert.equal(DEFAULT_RRF_K, 60);
});

test('ties keep first appearance; hits keep their payload, with the fused score', () => {
  const fused = fuseByRank([list('a', 'b'), list('b', 'a')], 2);
  assert.deepEqual(fused.map((h) => h.id), ['a', 'b']);
  assert.equal(fused[0].text, 'a');
});

test("weights follow Qdrant's weighted RRF: its engine gave these scores for k = 60, weights [1, 0.5]", () => {
  // Dense order 1, 3, 2; sparse order 2, 1 (qdrant-edge 0.9, Fusion.Rrf(k=60, weights=[1.0, 0.5])).
  const fused = fuseByRank([list('1', '3', '2'), list('2', '1')], 3, 60, [1, 0.5]);
  assert.deepEqual(fused.map((h) => h.id), ['1', '2', '3']);
  const engine = [0.03253968432545662, 0.032522473484277725, 0.016393441706895828];
  fused.forEach((h, i) => assert.ok(Math.abs(h.score - engine[i]) < 1e-7, `${h.id}: ${h.score} vs ${engine[i]}`));
});

test('each list reaches past k before fusing', () => {
  assert.equal(fusionDepth(10), 50);
  assert.equal(fusionDepth(100), 200);
});
