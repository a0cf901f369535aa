// The proof of an export: embedline's embedder, run on the exported folder, must give PyTorch's
// vectors for the built-in texts, for every pooling the model supports (cosine ≥ MIN_COSINE for
// each text), with the same token ids and length limit; and how close the int8 file comes to fp32
// is measured (reported, not required: int8 trades accuracy for speed by design).
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { cosine, maxAbsDifference } from '../embed/vector-math.ts';
import type { ProofText } from './proof-texts.ts';

/** Required agreement between PyTorch and embedline, per text and pooling. */
export const MIN_COSINE = 0.99999;

/** What python/export/export_model.py writes with --reference. */
export interface PytorchReference {
  source: string;
  resolvedSource: string;
  modelType?: string;
  maxLength: number;
  inputs: string[];
  outputs: string[];
  poolings: Pooling[];
  files: string[];
  versions: Record<string, string>;
  opset: number;
  texts: Array<{ ids: number[] } & Partial<Record<Pooling, number[]>>>;
}

export interface Agreement {
  minCosine: number;
  meanCosine: number;
  /** The text with the lowest cosine. */
  worst: string;
  maxAbsDifference: number;
}

export interface ExportProof {
  passed: boolean;
  /** One line per failed check (empty when passed). */
  failures: string[];
  minCosineRequired: number;
  texts: string[];
  maxTokens: number;
  tokenIds: { equal: number; of: number; differing: string[] };
  /** PyTorch vs embedline fp32, unnormalised, per pooling. */
  fp32: Partial<Record<Pooling, Agreement>>;
  /** embedline int8 vs embedline fp32, unnormalised, per pooling. */
  int8: Partial<Record<Pooling, Agreement>>;
}

export function agreement(labels: readonly string[], actual: readonly ArrayLike<number>[], expected: readonly ArrayLike<number>[]): Agreement {
  const cosines = actual.map((vector, i) => cosine(vector, expected[i]));
  const worstIndex = cosines.indexOf(Math.min(...cosines));
  return {
    minCosine: cosines[worstIndex],
    meanCosine: cosines.reduce((sum, c) => sum + c, 0) / cosines.length,
    worst: labels[worstIndex],
    maxAbsDifference: Math.max(...actual.map((vector, i) => maxAbsDifference(vector, expected[i]))),
  };
}

async function pooled(embedder: Embedder, texts: readonly ProofText[], pooling: Pooling): Promise<Float32Array[]> {
  const { vectors } = await embedder.embed(
    texts.map((t) => t.text),
    { pooling, normalize: false, truncate: true },
  );
  return vectors;
}

export async function proveExport(reference: PytorchReference, texts: readonly ProofText[], fp32: Embedder, int8: Embedder): Promise<ExportProof> {
  const labels = texts.map((t) => t.label);
  const failures: string[] = [];
  if (fp32.info.maxTokens !== reference.maxLength) {
    failures.push(`embedline reads a limit of ${fp32.info.maxTokens} tokens, PyTorch ran with ${reference.maxLength}`);
  }
  const ids = fp32.tokenize(
    texts.map((t) => t.text),
    true,
  );
  const differing = labels.filter((_, i) => JSON.stringify(ids[i]) !== JSON.stringify(reference.texts[i].ids));
  if (differing.length > 0) failures.push(`token ids differ from transformers' for ${differing.join(', ')}`);
  const hasPooler = fp32.info.outputs.includes('pooler_output');
  if (hasPooler !== reference.poolings.includes('pooler')) {
    failures.push(`the graph's outputs (${fp32.info.outputs.join(', ')}) do not match PyTorch's poolings (${reference.poolings.join(', ')})`);
  }
  const proof: ExportProof = {
    passed: false,
    failures,
    minCosineRequired: MIN_COSINE,
    texts: labels,
    maxTokens: fp32.info.maxTokens,
    tokenIds: { equal: labels.length - differing.length, of: labels.length, differing },
    fp32: {},
    int8: {},
  };
  for (const pooling of reference.poolings) {
    if (pooling === 'pooler' && !hasPooler) continue;
    const expected = reference.texts.map((t, i) => t[pooling] ?? failMissing(labels[i], pooling));
    const vectors = await pooled(fp32, texts, pooling);
    const fp32Agreement = agreement(labels, vectors, expected);
    proof.fp32[pooling] = fp32Agreement;
    if (!(fp32Agreement.minCosine >= MIN_COSINE)) {
      failures.push(`${pooling} pooling: cosine to PyTorch ${fp32Agreement.minCosine.toFixed(7)} on "${fp32Agreement.worst}", below ${MIN_COSINE}`);
    }
    proof.int8[pooling] = agreement(labels, await pooled(int8, texts, pooling), vectors);
  }
  proof.passed = failures.length === 0;
  return proof;
}

function failMissing(label: string, pooling: Pooling): never {
  throw new Error(`the PyTorch reference has no ${pooling} vector for "${label}"`);
}
