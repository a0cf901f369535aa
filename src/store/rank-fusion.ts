// Reciprocal rank fusion, the one formula hybrid search uses: a hit's fused score is the sum, over
// the ranked lists it appears in, of 1 / (k + position), position counted from 0, with k = 60 by
// default (Cormack et al. 2009). This is exactly what Qdrant computes for `{"rrf": {"k": k}}`
// (segment/src/common/score_fusion.rs): the Qdrant store asks the server for it, the local store
// fuses its own two lists here, so both stores rank a hybrid query the same way. Ties keep the order
// of first appearance (dense list first), so the outcome is deterministic. With weights, a list's
// term is 1 / ((position + 1) / weight + k − 1), Qdrant's weighted form (equal to the above for a
// weight of 1, as measured against its engine); search uses equal weights, bench/search-quality
// sweeps others.
import type { SearchHit } from '../contracts/search-hit.ts';

export const DEFAULT_RRF_K = 60;

/**
 * How many candidates each list contributes before fusing into k: fusion only helps when a hit
 * ranked low in one list can be lifted by the other, so each list reaches well past k.
 */
export function fusionDepth(k: number): number {
  return Math.max(2 * k, 50);
}

/** The fused top k of several ranked lists (best first each); a hit's score is its fused score. */
export function fuseByRank(lists: readonly (readonly SearchHit[])[], k: number, rrfK = DEFAULT_RRF_K, weights?: readonly number[]): SearchHit[] {
  const fused = new Map<string, SearchHit>();
  for (const [which, list] of lists.entries()) {
    const weight = weights?.[which] ?? 1;
    list.forEach((hit, position) => {
      const contribution = 1 / ((position + 1) / weight + rrfK - 1);
      const seen = fused.get(hit.id);
      if (seen) seen.score += contribution;
      else fused.set(hit.id, { ...hit, score: contribution });
    });
  }
  // Array.prototype.sort is stable: equal scores keep first-appearance order.
  return [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
