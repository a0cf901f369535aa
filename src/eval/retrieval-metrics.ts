// Ranking metrics for retrieval evaluation, per query, from the ranked document ids a search
// returned and the set of relevant ones: recall@k, reciprocal rank within k, and nDCG@k with
// binary relevance (ideal DCG: every relevant document ranked first).

export function recallAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const found = ranked.slice(0, k).filter((id) => relevant.has(id)).length;
  return found / relevant.size;
}

export function reciprocalRankAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const index = ranked.slice(0, k).findIndex((id) => relevant.has(id));
  return index === -1 ? 0 : 1 / (index + 1);
}

export function ndcgAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const gain = (rank: number) => 1 / Math.log2(rank + 2);
  const dcg = ranked.slice(0, k).reduce((sum, id, rank) => sum + (relevant.has(id) ? gain(rank) : 0), 0);
  let ideal = 0;
  for (let rank = 0; rank < Math.min(k, relevant.size); rank++) ideal += gain(rank);
  return dcg / ideal;
}
