// Moves a collection from one store to another without re-embedding: its recorded spec first (the
// target refuses a different one), then every point — vector, payload, same content-derived id —
// in batches, then a check that both hold the same number of points and answer a sample of
// searches with the same hits. Re-running after an interruption copies again over the same ids,
// which changes nothing already there: the copy is idempotent, so it is resumable by re-running.
import { EmbedlineError } from '../errors.ts';
import type { StoredPoint, VectorStore } from './vector-store.ts';

export interface MigrationOptions {
  /** Points per upsert. */
  batchSize?: number;
  /** Stored vectors searched in both stores afterwards, as queries. */
  sampleSearches?: number;
  k?: number;
  onProgress?: (copied: number, total: number) => void;
}

export interface MigrationResult {
  collection: string;
  copied: number;
  sourcePoints: number;
  targetPoints: number;
  sampleSearches: number;
  /** Sample searches whose top-k ids (in order) were the same in both stores. */
  identicalSearches: number;
  /** One line per differing search: which sample point, and the two id lists' first difference. */
  differences: string[];
}

const DEFAULT_BATCH = 256;
const DEFAULT_SAMPLES = 20;
const DEFAULT_K = 10;

export async function migrateCollection(source: VectorStore, target: VectorStore, collection: string, options: MigrationOptions = {}): Promise<MigrationResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const info = await source.describe(collection);
  if (!info) throw new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist in the ${source.kind} store`, { details: { collection } });
  await target.ensureCollection(collection, info.spec);

  const total = await source.count(collection);
  // Evenly spread sample points, chosen by position as the points stream past.
  const samples = options.sampleSearches ?? DEFAULT_SAMPLES;
  const every = Math.max(1, Math.floor(total / Math.max(1, samples)));
  const queries: Float32Array[] = [];
  let copied = 0;
  let batch: StoredPoint[] = [];
  const flush = async () => {
    await target.upsert(collection, batch);
    copied += batch.length;
    batch = [];
    options.onProgress?.(copied, total);
  };
  for await (const point of source.points(collection)) {
    if ((copied + batch.length) % every === 0 && queries.length < samples) queries.push(point.vector);
    batch.push(point);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await target.optimize(collection);

  const [sourcePoints, targetPoints] = [await source.count(collection), await target.count(collection)];
  const k = options.k ?? DEFAULT_K;
  const [before, after] = queries.length === 0 ? [[], []] : [await source.searchBatch(collection, queries, k), await target.searchBatch(collection, queries, k)];
  const differences: string[] = [];
  before.forEach((hits, i) => {
    const a = hits.map((h) => h.id);
    const b = after[i].map((h) => h.id);
    const at = a.findIndex((id, j) => id !== b[j]);
    if (at !== -1 || a.length !== b.length) {
      const rank = at === -1 ? Math.min(a.length, b.length) : at;
      differences.push(`sample ${i}: rank ${rank + 1} is ${a[rank] ?? 'nothing'} in the ${source.kind} store, ${b[rank] ?? 'nothing'} in the ${target.kind} store`);
    }
  });
  return { collection, copied, sourcePoints, targetPoints, sampleSearches: queries.length, identicalSearches: queries.length - differences.length, differences };
}
