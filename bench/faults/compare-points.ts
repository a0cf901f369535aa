// Compares what a faulted run left in the store with what a clean run of the same corpus stored:
// by point id (derived from collection, document and chunk index, so the same in both runs) and by
// content (the whole payload, and the vector to within float noise: batches are cut differently
// from run to run, and padding changes the last bits).
import { cosine } from '../../src/embed/vector-math.ts';
import { pointId } from '../../src/store/point-id.ts';
import type { StoredRow } from './store-readback.ts';

/** Vectors of the same text embedded in different batches agree far closer than this. */
const SAME_VECTOR_COSINE = 0.9999;

export interface PointComparison {
  expected: number;
  /** Rows in the store, duplicates and strays included. */
  found: number;
  /** Rows beyond the first for an id (a point stored twice counts 1). */
  duplicates: number;
  /** Expected ids the store lacks. */
  lost: number;
  /** Ids the clean run does not have (e.g. chunks of a half-replaced document). */
  unexpected: number;
  /** Ids present but with another payload or vector, or an id that is not the one derived from its payload. */
  wrongContent: number;
  /** Documents with at least one lost chunk (the unit a user re-runs). */
  documentsHit: number;
}

export function exact(c: PointComparison): boolean {
  return c.found === c.expected && c.duplicates === 0 && c.lost === 0 && c.unexpected === 0 && c.wrongContent === 0;
}

export function comparePoints(reference: readonly StoredRow[], actual: readonly StoredRow[], collection: string): PointComparison {
  const expected = new Map(reference.map((r) => [r.id, r]));
  const seen = new Map<string, StoredRow>();
  let duplicates = 0;
  let unexpected = 0;
  let wrongContent = 0;
  for (const row of actual) {
    if (seen.has(row.id)) {
      duplicates++;
      continue;
    }
    seen.set(row.id, row);
    const want = expected.get(row.id);
    if (!want) {
      unexpected++;
      continue;
    }
    const idMatches = row.id === pointId(collection, row.documentId, row.chunkIndex);
    if (!idMatches || row.payloadHash !== want.payloadHash || row.vector.length !== want.vector.length || cosine(row.vector, want.vector) < SAME_VECTOR_COSINE) wrongContent++;
  }
  const lostRows = reference.filter((r) => !seen.has(r.id));
  return {
    expected: expected.size,
    found: actual.length,
    duplicates,
    lost: lostRows.length,
    unexpected,
    wrongContent,
    documentsHit: new Set(lostRows.map((r) => r.documentId)).size,
  };
}
