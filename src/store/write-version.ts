// Write versions: how the store orders writes of different versions of a document. Every point
// carries the run number (write version) of the ingest that made it; a run number is taken at the
// start of each run and only grows (producer/run-version.ts, over Redis and the store), so a
// job left behind by an older run, or a worker that wakes after its lock expired, carries a smaller
// number than what a newer run wrote. The rules here are the ones checked-store.ts applies on every
// write: a document's points of its newest version are kept, older ones are refused or removed, so
// no document ever mixes two versions. Points stored before versions existed count as version 0.
import type { ChunkHash } from './stored-documents.ts';
import type { StoredPoint } from './vector-store.ts';

/** Version of points stored before versions existed, and of writes that carry none. */
export const UNVERSIONED = 0;

export function versionOf(point: Pick<StoredPoint, 'version'>): number {
  return point.version ?? UNVERSIONED;
}

/** The versions a document's stored chunks carry. */
export interface StoredVersions {
  newest: number;
  oldest: number;
}

/** Folds chunk rows into the newest and oldest version stored per document. */
export function storedVersions(rows: Iterable<ChunkHash>): Map<string, StoredVersions> {
  const documents = new Map<string, StoredVersions>();
  for (const { documentId, version } of rows) {
    const seen = documents.get(documentId);
    if (seen === undefined) documents.set(documentId, { newest: version, oldest: version });
    else {
      seen.newest = Math.max(seen.newest, version);
      seen.oldest = Math.min(seen.oldest, version);
    }
  }
  return documents;
}

/** Per document of the batch: the newest version, among the batch's points and what the store holds. */
export function newestVersions(points: readonly StoredPoint[], stored: ReadonlyMap<string, StoredVersions>): Map<string, number> {
  const newest = new Map<string, number>();
  for (const point of points) {
    const id = point.chunk.documentId;
    newest.set(id, Math.max(newest.get(id) ?? stored.get(id)?.newest ?? UNVERSIONED, versionOf(point)));
  }
  return newest;
}

/** A write version is a whole number >= 0 (a run number; 0 for writes from before versions). */
export function isWriteVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
