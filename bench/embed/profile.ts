// Where embedline's time goes: the steps of Embedder.embed() (src/embed/embedder.ts) replayed one
// by one with a timer around each, on the same shared ONNX session the embedder uses
// (getSessionPool caches per model file and thread count). Diagnostic only: if embedder.ts changes
// its steps, this replay must follow.
import { planBatches, type TokenBatch } from '../../src/embed/token-budget.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { poolRow } from '../../src/embed/pooling.ts';
import { getSessionPool, type Int64Feed } from '../../src/embed/session.ts';
import { l2Normalize } from '../../src/embed/vector-math.ts';

export interface StageTimes {
  tokenizeMs: number;
  tensorsMs: number;
  onnxMs: number;
  poolMs: number;
  totalMs: number;
  batches: number;
  rowsPerBatch: number;
  paddedTokens: number;
}

/** Tokens the model computes (rows × padded length, summed over batches) for embedline's plan. */
export function embedlinePaddedTokens(lengths: readonly number[], maxBatchTokens: number): { padded: number; batches: number } {
  const batches = planBatches(lengths, maxBatchTokens);
  return { padded: batches.reduce((sum, b) => sum + b.indices.length * b.paddedLength, 0), batches: batches.length };
}

/** Tokens computed when texts are fed `batchSize` at a time in the given order, each call padded to its longest. */
export function fixedBatchPaddedTokens(lengths: readonly number[], batchSize: number): number {
  let padded = 0;
  for (let start = 0; start < lengths.length; start += batchSize) {
    const chunk = lengths.slice(start, start + batchSize);
    padded += Math.max(...chunk) * chunk.length;
  }
  return padded;
}

export type Planner = (lengths: readonly number[]) => TokenBatch[];

/**
 * What-if planner (not what embedder.ts does): like planBatches — ascending length, token budget —
 * but also starts a new batch when padding would push the batch's computed tokens above
 * `maxPadding` × its real tokens. Large budgets then stop mixing short and long texts.
 */
export function paddingCappedPlan(maxBatchTokens: number, maxPadding: number): Planner {
  return (lengths) => {
    const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
    const batches: TokenBatch[] = [];
    let current: TokenBatch | undefined;
    let real = 0;
    for (const index of order) {
      const len = lengths[index];
      const rows = (current?.indices.length ?? 0) + 1;
      const fits = current && rows * len <= maxBatchTokens && rows * len <= maxPadding * (real + len);
      if (!current || !fits) {
        current = { indices: [], paddedLength: 0 };
        batches.push(current);
        real = 0;
      }
      current.indices.push(index);
      current.paddedLength = len;
      real += len;
    }
    return batches;
  };
}

export async function profileEmbedline(embedder: Embedder, texts: readonly string[], planner: Planner, threads: number): Promise<StageTimes> {
  // One session with all the threads: the replay runs one batch at a time, so the pool's default
  // of several single-threaded sessions would leave threads idle and inflate the onnxruntime share.
  const session = await getSessionPool(embedder.info.onnxPath, { threads, sessions: 1 });
  const start = performance.now();
  let t = start;
  const lap = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };
  const encoded = embedder.tokenize(texts, true);
  const tokenizeMs = lap();
  const batches = planner(encoded.map((ids) => ids.length));
  let tensorsMs = lap();
  let onnxMs = 0;
  let poolMs = 0;
  const padId = BigInt(embedder.tokenizer.padId);
  const hidden = embedder.info.dims;
  for (const batch of batches) {
    const rows = batch.indices.map((i) => encoded[i]);
    const seqLen = batch.paddedLength;
    const ids = new BigInt64Array(rows.length * seqLen).fill(padId);
    const mask = new BigInt64Array(rows.length * seqLen);
    rows.forEach((row, r) => {
      for (let k = 0; k < row.length; k++) {
        ids[r * seqLen + k] = BigInt(row[k]);
        mask[r * seqLen + k] = 1n;
      }
    });
    const dims = [rows.length, seqLen];
    const feeds: Record<string, Int64Feed> = {
      input_ids: { type: 'int64', data: ids, dims },
      attention_mask: { type: 'int64', data: mask, dims },
    };
    if (embedder.info.inputs.includes('token_type_ids')) feeds.token_type_ids = { type: 'int64', data: new BigInt64Array(rows.length * seqLen), dims };
    tensorsMs += lap();
    // One batch at a time: this replays the steps, it does not overlap them.
    const lastHiddenState = await session.run(feeds, 'last_hidden_state');
    onnxMs += lap();
    const output = { batch: rows.length, seqLen, hidden, lastHiddenState, attentionMask: mask };
    for (let row = 0; row < rows.length; row++) l2Normalize(poolRow('mean', output, row));
    poolMs += lap();
  }
  const padded = batches.reduce((sum, b) => sum + b.indices.length * b.paddedLength, 0);
  return {
    tokenizeMs,
    tensorsMs,
    onnxMs,
    poolMs,
    totalMs: performance.now() - start,
    batches: batches.length,
    rowsPerBatch: texts.length / batches.length,
    paddedTokens: padded,
  };
}
