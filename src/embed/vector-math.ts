// Small vector helpers shared by evaluation and tests.

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denominator = Math.sqrt(dot(a, a) * dot(b, b));
  return denominator === 0 ? 0 : dot(a, b) / denominator;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** L2-normalises in place, dividing by max(norm, 1e-12) as torch's F.normalize does (no NaN for 0). */
export function l2Normalize(vector: Float32Array): Float32Array {
  const norm = Math.max(Math.sqrt(dot(vector, vector)), 1e-12);
  for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}
