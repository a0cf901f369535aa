// Lance reports a distance (smaller is closer); the store contract reports a score (larger is
// closer) equal to the true similarity. For both metrics Lance's distance is 1 - similarity:
// cosine distance = 1 - cos(a, b), and its "dot" distance = 1 - a·b (checked by the conformance
// tests against hand-computed scores).
import type { Distance } from '../../contracts/collection-spec.ts';

export type LanceDistanceType = 'cosine' | 'dot';

export function lanceDistanceType(distance: Distance): LanceDistanceType {
  switch (distance) {
    case 'cosine':
      return 'cosine';
    case 'dot':
      return 'dot';
    default: {
      const unknown: never = distance;
      throw new Error(`unknown distance ${String(unknown)}`);
    }
  }
}

export function scoreFromDistance(distance: number): number {
  return 1 - distance;
}
