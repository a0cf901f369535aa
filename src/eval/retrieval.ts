// Retrieval evaluation on a user's own data: a queries file (`{"query", "expected": documentId |
// [ids]}` per line) run against a search function, summarised as recall@1/5/10, MRR@10 and nDCG@10
// over documents (several chunks of one document count once, at its best rank).
import { EmbedlineError } from '../errors.ts';
import { readEvalFile } from './read-eval-file.ts';
import { ndcgAt, recallAt, reciprocalRankAt } from './retrieval-metrics.ts';

export interface RelevanceQuery {
  query: string;
  expected: string[];
}

export interface RetrievalMetrics {
  queries: number;
  recallAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
  ndcgAt10: number;
}

/** Chunks to ask for per query, so that 10 distinct documents remain after merging chunks. */
export const CHUNKS_PER_QUERY = 100;

/** Ranked document ids per query, best first (chunks of a document may repeat; the first counts). */
export type RankDocuments = (queries: string[]) => Promise<string[][]>;

export function readQueriesFile(path: string): RelevanceQuery[] {
  const text = readEvalFile(path, 'queries');
  const queries: RelevanceQuery[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const bad = (why: string) => new EmbedlineError('INPUT_INVALID', `${path}:${i + 1}: ${why}`, { details: { path, line: i + 1 } });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw bad('not valid JSON');
    }
    const { query, expected } = (value ?? {}) as { query?: unknown; expected?: unknown };
    if (typeof query !== 'string' || query.trim() === '') throw bad('"query" must be a non-empty string');
    const ids = typeof expected === 'string' ? [expected] : expected;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
      throw bad('"expected" must be a document id or a non-empty array of them');
    }
    queries.push({ query, expected: ids as string[] });
  });
  if (queries.length === 0) throw new EmbedlineError('INPUT_INVALID', `${path}: no queries`);
  return queries;
}

export async function evaluateRetrieval(queries: readonly RelevanceQuery[], rank: RankDocuments): Promise<RetrievalMetrics> {
  const rankings = await rank(queries.map((q) => q.query));
  const sums = { recallAt1: 0, recallAt5: 0, recallAt10: 0, mrrAt10: 0, ndcgAt10: 0 };
  queries.forEach((q, i) => {
    const ranked = [...new Set(rankings[i])];
    const relevant = new Set(q.expected);
    sums.recallAt1 += recallAt(1, ranked, relevant);
    sums.recallAt5 += recallAt(5, ranked, relevant);
    sums.recallAt10 += recallAt(10, ranked, relevant);
    sums.mrrAt10 += reciprocalRankAt(10, ranked, relevant);
    sums.ndcgAt10 += ndcgAt(10, ranked, relevant);
  });
  const mean = (sum: number) => Number((sum / queries.length).toFixed(5));
  return {
    queries: queries.length,
    recallAt1: mean(sums.recallAt1),
    recallAt5: mean(sums.recallAt5),
    recallAt10: mean(sums.recallAt10),
    mrrAt10: mean(sums.mrrAt10),
    ndcgAt10: mean(sums.ndcgAt10),
  };
}
