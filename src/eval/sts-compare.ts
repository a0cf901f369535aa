// Which BERT output, and is int8 good enough? Embeds an STS file's pairs once per variant (pooling
// × model file) and reports each variant's Spearman and embedding throughput side by side.
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { evaluateSts, type StsPair } from './sts.ts';

export interface CompareVariant {
  pooling: Pooling;
  quantized: boolean;
}

export interface StsVariantResult extends CompareVariant {
  spearman: number;
  /** Sentences embedded per second (both sides of every pair). */
  sentencesPerSecond: number;
}

export async function compareOnSts(
  pairs: readonly StsPair[],
  variants: readonly CompareVariant[],
  embedderFor: (quantized: boolean) => Promise<Embedder>,
): Promise<StsVariantResult[]> {
  const results: StsVariantResult[] = [];
  // One at a time: each variant gets the whole machine, so the throughputs compare.
  for (const variant of variants) {
    const embedder = await embedderFor(variant.quantized);
    const started = performance.now();
    const { spearman } = await evaluateSts(embedder, pairs, { pooling: variant.pooling });
    const seconds = (performance.now() - started) / 1000;
    results.push({ ...variant, spearman: Number(spearman.toFixed(5)), sentencesPerSecond: Number(((pairs.length * 2) / seconds).toFixed(1)) });
  }
  return results;
}
