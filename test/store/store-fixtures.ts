// Small synthetic collections for the store tests: specs, points and seeded vectors. No model needed.
import assert from 'node:assert/strict';
import type { Chunk, Metadata } from '../../src/contracts/chunk.ts';
import type { CollectionSpec, Distance } from '../../src/contracts/collection-spec.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { isEmbedlineError } from '../../src/errors.ts';
import { pointId } from '../../src/store/point-id.ts';
import type { StoredPoint } from '../../src/store/vector-store.ts';

export function testSpec(dims: number, distance: Distance = 'cosine', overrides: Partial<CollectionSpec> = {}): CollectionSpec {
  return {
    model: 'test-model',
    modelChecksum: 'sha256-test',
    dims,
    pooling: 'mean',
    normalize: distance === 'cosine',
    distance,
    chunkTokens: 128,
    overlap: 16,
    ...overrides,
  };
}

export interface PointOptions {
  metadata?: Metadata;
  text?: string;
  contentHash?: string;
  /** The write version (run number); absent as for points from before versions. */
  version?: number;
}

/** A point whose id is derived like the pipeline derives it, with a chunk that names its origin. */
export function testPoint(collection: string, documentId: string, chunkIndex: number, vector: ArrayLike<number>, options: PointOptions = {}): StoredPoint {
  const text = options.text ?? `${documentId} chunk ${chunkIndex}`;
  const chunk: Chunk = {
    documentId,
    chunkIndex,
    text,
    start: chunkIndex * 100,
    end: chunkIndex * 100 + text.length,
    tokens: 10 + chunkIndex,
    contentHash: options.contentHash ?? `hash-of-${documentId}`,
    metadata: options.metadata ?? {},
  };
  const point: StoredPoint = { id: pointId(collection, documentId, chunkIndex), vector: Float32Array.from(vector), chunk };
  if (options.version !== undefined) point.version = options.version;
  return point;
}

/** Deterministic pseudo-random vectors (an LCG), so index tests are repeatable. */
export function seededVectors(count: number, dims: number, seed = 42): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dims }, next));
}

export async function rejectsWithCode(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isEmbedlineError(err), `expected an EmbedlineError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
