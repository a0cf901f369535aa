// Splits an upsert into requests bounded by point count and by body size. Qdrant refuses bodies
// over 32 MB and its guidance is 64-256 points per request; long chunk texts and big vectors make
// the byte bound the one that matters, so each point's JSON is measured, not estimated.
import type { QdrantPoint } from './point-payload.ts';

export interface BatchLimits {
  maxPoints: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxPoints: 256, maxBytes: 8 * 1024 * 1024 };

/** `{"points":[` + `]}` around the comma-separated points: the whole upsert body. */
const ENVELOPE_BYTES = Buffer.byteLength('{"points":[]}');

export interface PointBatch {
  points: QdrantPoint[];
  /** Size of the request body `{"points":[…]}` in bytes. */
  bytes: number;
}

/** Points in order, cut into batches; a point bigger than maxBytes on its own travels alone. */
export function upsertBatches(points: readonly QdrantPoint[], limits: BatchLimits): PointBatch[] {
  const batches: PointBatch[] = [];
  const empty = (): PointBatch => ({ points: [], bytes: ENVELOPE_BYTES });
  let current = empty();
  for (const point of points) {
    const size = Buffer.byteLength(JSON.stringify(point));
    const fits = current.points.length < limits.maxPoints && current.bytes + 1 + size <= limits.maxBytes;
    if (current.points.length > 0 && !fits) {
      batches.push(current);
      current = empty();
    }
    current.bytes += size + (current.points.length > 0 ? 1 : 0); // a comma between points
    current.points.push(point);
  }
  if (current.points.length > 0) batches.push(current);
  return batches;
}
