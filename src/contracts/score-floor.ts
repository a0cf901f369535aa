// The "no close match" floor recorded with a collection (calibrated by src/search/score-floor.ts):
// a query whose best hit scores below it has no close match, and is answered as such.

export interface ScoreFloor {
  /** Hits scoring below this are no close match. */
  value: number;
  /** The percentile of unrelated pairs' scores the value is. */
  percentile: number;
  /** How many unrelated pairs it was computed from. */
  pairs: number;
  /** The pairs file's name. */
  source: string;
}

export function isScoreFloor(value: unknown): value is ScoreFloor {
  const v = value as ScoreFloor | null;
  return typeof v === 'object' && v !== null && Number.isFinite(v.value) && Number.isFinite(v.percentile) && Number.isInteger(v.pairs) && typeof v.source === 'string';
}

/** Whether a search's best score is below the floor: no close match (never without a floor). */
export function belowFloor(bestScore: number | undefined, floor: ScoreFloor | undefined): boolean {
  if (floor === undefined) return false;
  return bestScore === undefined || bestScore < floor.value;
}
