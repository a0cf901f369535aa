// STS Benchmark evaluation: cosine similarity of each sentence pair's vectors against the gold
// score, summarised by Spearman correlation.
import { EmbedlineError } from '../errors.ts';
import { readEvalFile } from './read-eval-file.ts';
import type { Embedder, EmbedOptions } from '../embed/embedder.ts';
import { cosine } from '../embed/vector-math.ts';
import { spearman } from './spearman.ts';

export interface StsPair {
  score: number;
  first: string;
  second: string;
}

/** STS Benchmark's tab-separated layout: score in column 5, sentences in 6 and 7; no quoting. */
export function readStsFile(path: string): StsPair[] {
  const text = readEvalFile(path, 'STS');
  const pairs: StsPair[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const cols = line.replace(/\r$/, '').split('\t');
    const score = Number(cols[4]);
    if (cols.length < 7 || !Number.isFinite(score) || cols[4].trim() === '') {
      throw new EmbedlineError('INPUT_INVALID', `${path}:${i + 1}: expected a score in column 5 and sentences in columns 6 and 7`, {
        details: { path, line: i + 1 },
      });
    }
    pairs.push({ score, first: cols[5], second: cols[6] });
  });
  if (pairs.length < 2) throw new EmbedlineError('INPUT_INVALID', `${path}: fewer than 2 sentence pairs`);
  return pairs;
}

export async function evaluateSts(embedder: Embedder, pairs: readonly StsPair[], options: EmbedOptions): Promise<{ spearman: number; pairs: number }> {
  // Like sentence-transformers' evaluator: texts over the limit are truncated, not rejected.
  const { vectors } = await embedder.embed(
    pairs.flatMap((p) => [p.first, p.second]),
    { ...options, truncate: true },
  );
  const similarities = pairs.map((_, i) => cosine(vectors[2 * i], vectors[2 * i + 1]));
  return { spearman: spearman(similarities, pairs.map((p) => p.score)), pairs: pairs.length };
}
