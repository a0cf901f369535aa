// Which BERT output, is int8 good enough, and do the model's prompts help? Embeds an STS file's
// pairs once per variant (pooling × model file × prompts on/off) and reports each variant's Spearman
// and embedding throughput side by side. STS is symmetric: with prompts on, both sentences get the
// model's query prompt (E5's advice for symmetric tasks).
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { evaluateSts, type StsPair } from './sts.ts';

export interface CompareVariant {
  pooling: Pooling;
  quantized: boolean;
  /** The model's own prompts applied (config_sentence_transformers.json); false: no prompt at all. */
  prompts: boolean;
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
    const prompt = variant.prompts ? embedder.info.defaultPrompts.query : '';
    const { spearman } = await evaluateSts(embedder, pairs, { pooling: variant.pooling, prompt });
    const seconds = (performance.now() - started) / 1000;
    results.push({ ...variant, spearman: Number(spearman.toFixed(5)), sentencesPerSecond: Number(((pairs.length * 2) / seconds).toFixed(1)) });
  }
  return results;
}
