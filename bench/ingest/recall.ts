// STS-b dev as a retrieval set, to measure what int8 costs in search quality: each pair scored ≥ 4
// (near paraphrases) gives a query (its first sentence) whose one right answer is its second
// sentence, searched among every distinct second sentence of the file by exact cosine. Recall@1,
// recall@10 and MRR@10 of the query's own pair; the same figures for fp32 and int8 give the change.
import type { Embedder } from '../../src/embed/embedder.ts';
import { readStsFile } from '../../src/eval/sts.ts';

export interface Recall {
  queries: number;
  corpus: number;
  at1: number;
  at10: number;
  mrr10: number;
}

const MIN_SCORE = 4;

export async function stsRetrievalRecall(embedder: Embedder, stsPath: string): Promise<Recall> {
  const pairs = readStsFile(stsPath);
  const corpus = [...new Set(pairs.map((p) => p.second))];
  const queries = pairs.filter((p) => p.score >= MIN_SCORE);
  const options = { pooling: 'mean' as const, normalize: true, truncate: true };
  const docVectors = (await embedder.embed(corpus, options)).vectors;
  const queryVectors = (await embedder.embed(queries.map((q) => q.first), options)).vectors;
  let at1 = 0;
  let at10 = 0;
  let mrr10 = 0;
  queries.forEach((query, qi) => {
    const target = corpus.indexOf(query.second);
    const scores = docVectors.map((d) => dot(queryVectors[qi], d));
    // Rank of the right answer: 1 + documents scoring strictly higher.
    const rank = 1 + scores.filter((s) => s > scores[target]).length;
    if (rank === 1) at1++;
    if (rank <= 10) {
      at10++;
      mrr10 += 1 / rank;
    }
  });
  const n = queries.length;
  return { queries: n, corpus: corpus.length, at1: at1 / n, at10: at10 / n, mrr10: mrr10 / n };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
