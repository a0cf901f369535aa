// Moves a collection from one store to another without re-embedding, and serves it under its name
// in the target only once the copy is verified. The points — vector, payload, same content-derived
// id — are copied in batches into a version of the collection that nothing reads yet (`name__vN`,
// with the recorded spec), then checked: both hold the same number of points, and a sample of
// searches answers with the same hits (same-hits.ts: tied scores may come in any order). Only then
// does the target's name move to that version, in one step (the version it pointed at before, an
// older copy, is dropped). An interrupted or unverified migrate leaves the name as it was (absent
// or the previous copy) and its version unread; re-running resumes into that version, rewriting
// the same ids, so the copy is idempotent and resumable.
import { specDifferences, specMismatchMessage, type CollectionSpec } from '../contracts/collection-spec.ts';
import { EmbedlineError } from '../errors.ts';
import { hitListDifference } from './same-hits.ts';
import type { StoredPoint, VectorStore } from './vector-store.ts';

export interface MigrationOptions {
  /** Points per upsert. */
  batchSize?: number;
  /** Stored vectors searched in both stores afterwards, as queries. */
  sampleSearches?: number;
  k?: number;
  onProgress?: (copied: number, total: number) => void;
  /** Called once the copy verified, just before the name moves to it: throwing leaves the name as it was. */
  beforeServing?: () => void;
}

export interface MigrationResult {
  collection: string;
  copied: number;
  sourcePoints: number;
  targetPoints: number;
  sampleSearches: number;
  /** Sample searches answered with the same top-k in both stores (tied scores in any order). */
  identicalSearches: number;
  /** One line per differing search: which sample point, and where the two answers first differ. */
  differences: string[];
  /** The target's version the copy went into. */
  version: string;
  /** True once the copy verified and the target serves it under the collection's name. */
  activated: boolean;
  /** The target's previous version under that name (an older copy), dropped after the switch. */
  replaced?: string;
}

/** Points per upsert unless the caller says (`migrate --batch` shows it as its default). */
export const DEFAULT_MIGRATE_BATCH = 256;
const DEFAULT_SAMPLES = 20;
const DEFAULT_K = 10;

export async function migrateCollection(source: VectorStore, target: VectorStore, collection: string, options: MigrationOptions = {}): Promise<MigrationResult> {
  const batchSize = options.batchSize ?? DEFAULT_MIGRATE_BATCH;
  const info = await source.describe(collection);
  if (!info) throw new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist in the ${source.kind} store`, { details: { collection } });
  const version = await unservedVersion(target, collection, info.spec);

  const total = await source.count(collection);
  // Evenly spread sample points, chosen by position as the points stream past.
  const samples = options.sampleSearches ?? DEFAULT_SAMPLES;
  const every = Math.max(1, Math.floor(total / Math.max(1, samples)));
  const queries: Float32Array[] = [];
  let copied = 0;
  let batch: StoredPoint[] = [];
  const flush = async () => {
    await target.upsert(version, batch);
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
  await target.optimize(version);

  const [sourcePoints, targetPoints] = [await source.count(collection), await target.count(version)];
  const k = options.k ?? DEFAULT_K;
  const [before, after] = queries.length === 0 ? [[], []] : [await source.searchBatch(collection, queries, k), await target.searchBatch(version, queries, k)];
  const differences: string[] = [];
  before.forEach((hits, i) => {
    const difference = hitListDifference(hits, after[i], source.kind, target.kind);
    if (difference) differences.push(`sample ${i}: ${difference}`);
  });
  const result: MigrationResult = { collection, copied, sourcePoints, targetPoints, sampleSearches: queries.length, identicalSearches: queries.length - differences.length, differences, version, activated: false };
  if (sourcePoints !== targetPoints || differences.length > 0) return result;

  options.beforeServing?.();
  const previous = await target.activateVersion(collection, version);
  if (previous !== undefined && previous !== version) await target.dropCollection(previous);
  return { ...result, activated: true, replaced: previous === version ? undefined : previous };
}

/**
 * The target version to copy into: the newest one if nothing serves it yet and it has the spec (an
 * interrupted migrate's copy, resumed), else a new one.
 */
async function unservedVersion(target: VectorStore, collection: string, spec: CollectionSpec): Promise<string> {
  const current = await target.describe(collection);
  // A collection of that name built otherwise is another collection, never replaced by a copy.
  if (current && specDifferences(current.spec, spec).length > 0) throw new EmbedlineError('COLLECTION_MISMATCH', specMismatchMessage(collection, current.spec, spec), { details: { collection } });
  const served = current?.version;
  const newest = (await target.versions(collection)).at(-1);
  if (newest !== undefined && newest !== served) {
    const unserved = await target.describe(newest);
    if (unserved && specDifferences(unserved.spec, spec).length === 0) return newest;
  }
  return target.createVersion(collection, spec);
}
