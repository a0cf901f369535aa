// The "no close match" floor of a collection: a score that unrelated texts reach, so that a query
// whose best hit scores below it is answered as "no close match" rather than with weak hits dressed
// as answers. Calibrated per model from STS Benchmark dev pairs that annotators judged unrelated
// (gold similarity <= 0.5 of 5): both sentences are embedded exactly as the collection embeds
// (its pooling, normalisation and prompts: the caller's embed function does it), scored the way its store
// scores hits (cosine or dot), and the floor is a high percentile of those scores: 95% of unrelated
// pairs score below it. Recorded with the collection (`embedline collections calibrate`).
import { readFileSync } from 'node:fs';
import { EmbedlineError } from '../errors.ts';
import type { Distance } from '../contracts/collection-spec.ts';
import type { ScoreFloor } from '../contracts/score-floor.ts';
import { cosine, dot } from '../embed/vector-math.ts';

/** STS-b gold scores at or below this (of 5) count as unrelated pairs. */
export const UNRELATED_MAX_GOLD = 0.5;
export const FLOOR_PERCENTILE = 95;
/** Fewer unrelated pairs than this give no usable percentile. */
const MIN_PAIRS = 20;

/**
 * The unrelated pairs of an STS Benchmark file (tab-separated: genre, file, year, id, score,
 * sentence 1, sentence 2; extra columns ignored). A line that is not such a row is refused by number.
 */
export function readUnrelatedPairs(path: string): Array<[string, string]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EmbedlineError('INPUT_INVALID', `cannot read the calibration pairs ${path}: ${(err as Error).message}`);
  }
  const pairs: Array<[string, string]> = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split('\t');
    const gold = Number(cells[4]);
    if (cells.length < 7 || cells[4]?.trim() === '' || !Number.isFinite(gold)) {
      throw new EmbedlineError('INPUT_INVALID', `${path}:${i + 1}: expected an STS Benchmark row (genre, file, year, id, score, sentence 1, sentence 2, tab-separated)`);
    }
    if (gold <= UNRELATED_MAX_GOLD) pairs.push([cells[5], cells[6]]);
  });
  if (pairs.length < MIN_PAIRS) {
    throw new EmbedlineError('INPUT_INVALID', `${path} has ${pairs.length} pairs scored <= ${UNRELATED_MAX_GOLD}: at least ${MIN_PAIRS} are needed to calibrate`);
  }
  return pairs;
}

/** The nearest-rank percentile of the scores (at least one). */
export function percentile(scores: readonly number[], p: number): number {
  const sorted = [...scores].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * The floor for these unrelated pairs, with `embed` embedding texts as the collection does: each
 * pair's first sentence as a query, its second as a chunk.
 */
export async function calibrateScoreFloor(
  pairs: ReadonlyArray<[string, string]>,
  embed: (texts: string[], role: 'query' | 'document') => Promise<Float32Array[]>,
  distance: Distance,
  source: string,
): Promise<ScoreFloor> {
  const queries = await embed(pairs.map(([a]) => a), 'query');
  const chunks = await embed(pairs.map(([, b]) => b), 'document');
  const score = distance === 'cosine' ? cosine : dot;
  const scores = pairs.map((_, i) => score(queries[i], chunks[i]));
  return { value: Number(percentile(scores, FLOOR_PERCENTILE).toFixed(4)), percentile: FLOOR_PERCENTILE, pairs: pairs.length, source };
}
