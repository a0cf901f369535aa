// Groups texts into inference batches by a token budget. Sorting by length first keeps texts of
// similar length together, so padding (wasted compute) stays small.

export interface TokenBatch {
  /** Positions in the caller's input, in the order the batch holds them. */
  indices: number[];
  /** The longest sequence in the batch: every row is padded to it. */
  paddedLength: number;
}

export function planBatches(lengths: readonly number[], maxBatchTokens: number, maxBatchSize = Infinity): TokenBatch[] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: TokenBatch[] = [];
  let current: TokenBatch | undefined;
  for (const index of order) {
    const len = lengths[index];
    // Sorted ascending, so the new text is the batch's longest: the padded cost is rows × len.
    const fits = current && (current.indices.length + 1) * len <= maxBatchTokens && current.indices.length < maxBatchSize;
    if (!current || !fits) {
      current = { indices: [], paddedLength: 0 };
      batches.push(current);
    }
    current.indices.push(index);
    current.paddedLength = len;
  }
  return batches;
}
