// Within one batch the last point for an id wins, as if the points were upserted one by one. Stores
// that split a batch into parallel requests must dedupe first, or the winner would be a race.
import type { StoredPoint } from './vector-store.ts';

export function latestPerId(points: readonly StoredPoint[]): StoredPoint[] {
  return [...new Map(points.map((p) => [p.id, p])).values()];
}
