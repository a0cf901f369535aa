// A vector of another length than the collection's is never comparable: refuse it by name, before
// anything is written, rather than let the store fail halfway through a batch.
import { EmbedlineError } from '../errors.ts';

export function vectorDimsError(collection: string, what: string, got: number, dims: number | undefined): EmbedlineError {
  const holds = dims === undefined ? '' : `; collection "${collection}" holds ${dims}`;
  return new EmbedlineError('COLLECTION_MISMATCH', `${what} has ${got} dimensions${holds}`, { details: { collection, dims, got } });
}

export function checkVectorDims(vector: Float32Array, dims: number, collection: string, what: string): void {
  if (vector.length !== dims) throw vectorDimsError(collection, what, vector.length, dims);
}
