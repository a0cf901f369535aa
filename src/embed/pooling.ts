// Turns a model's token-level output into one vector per text: every pooling kind is one small
// function, selected by an exhaustive switch.
import { EmbedlineError } from '../errors.ts';

export const POOLINGS = ['cls', 'mean', 'max', 'pooler'] as const;
export type Pooling = (typeof POOLINGS)[number];

export function parsePooling(value: string): Pooling {
  if ((POOLINGS as readonly string[]).includes(value)) return value as Pooling;
  throw new EmbedlineError('POOLING_UNSUPPORTED', `unknown pooling "${value}" (expected one of ${POOLINGS.join(', ')})`);
}

/** One batch of model output, flattened row-major as onnxruntime returns it. */
export interface BatchOutput {
  batch: number;
  seqLen: number;
  hidden: number;
  lastHiddenState: Float32Array; // [batch, seqLen, hidden]
  pooledOutput?: Float32Array; // [batch, hidden]
  attentionMask: ArrayLike<number | bigint>; // [batch, seqLen]
}

/** Whether token i takes part (attention mask 1), as opposed to padding (0). */
function isAttended(mask: ArrayLike<number | bigint>, i: number): boolean {
  return Number(mask[i]) !== 0;
}

function clsPool(out: BatchOutput, row: number): Float32Array {
  const start = row * out.seqLen * out.hidden;
  return out.lastHiddenState.slice(start, start + out.hidden);
}

function meanPool(out: BatchOutput, row: number): Float32Array {
  const { seqLen, hidden, lastHiddenState } = out;
  // Accumulate in float64 so that summation order (which padding changes) does not move the result.
  const sum = new Float64Array(hidden);
  let count = 0;
  for (let t = 0; t < seqLen; t++) {
    if (!isAttended(out.attentionMask, row * seqLen + t)) continue;
    count++;
    const base = (row * seqLen + t) * hidden;
    for (let h = 0; h < hidden; h++) sum[h] += lastHiddenState[base + h];
  }
  const result = new Float32Array(hidden);
  // sentence-transformers clamps the token count at 1e-9; a row always has [CLS], so count >= 1.
  for (let h = 0; h < hidden; h++) result[h] = sum[h] / Math.max(count, 1e-9);
  return result;
}

function maxPool(out: BatchOutput, row: number): Float32Array {
  const { seqLen, hidden, lastHiddenState } = out;
  const result = new Float32Array(hidden).fill(-Infinity);
  for (let t = 0; t < seqLen; t++) {
    if (!isAttended(out.attentionMask, row * seqLen + t)) continue;
    const base = (row * seqLen + t) * hidden;
    for (let h = 0; h < hidden; h++) {
      const v = lastHiddenState[base + h];
      if (v > result[h]) result[h] = v;
    }
  }
  return result;
}

function poolerPool(out: BatchOutput, row: number): Float32Array {
  if (!out.pooledOutput) {
    throw new EmbedlineError('POOLING_UNSUPPORTED', 'pooling "pooler" needs the model output pooler_output, which this graph lacks');
  }
  return out.pooledOutput.slice(row * out.hidden, (row + 1) * out.hidden);
}

export function poolRow(pooling: Pooling, out: BatchOutput, row: number): Float32Array {
  switch (pooling) {
    case 'cls':
      return clsPool(out, row);
    case 'mean':
      return meanPool(out, row);
    case 'max':
      return maxPool(out, row);
    case 'pooler':
      return poolerPool(out, row);
    default: {
      const unreachable: never = pooling;
      throw new EmbedlineError('POOLING_UNSUPPORTED', `unknown pooling ${String(unreachable)}`);
    }
  }
}
