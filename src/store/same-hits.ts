// Whether two stores answered one search the same, for `embedline migrate`'s check. Hits with equal
// scores may come in any order, and which of several tied hits makes the cut at rank k is up to
// each store: comparing ids rank by rank made two identical texts fail every migrate. So the score
// at every rank must agree (within float noise), and every hit that beats the last rank's score
// must be in both lists; only ids inside a group of tied scores may differ in order, and only the
// tied group at the cut may differ in membership.
import type { SearchHit } from '../contracts/search-hit.ts';

/** Two stores' float arithmetic differs in the last digits; cosine scores are within [-1, 1]. */
export const SCORE_TOLERANCE = 1e-4;

/** undefined when the lists match; else where they first differ, naming the two stores. */
export function hitListDifference(a: readonly SearchHit[], b: readonly SearchHit[], aName: string, bName: string): string | undefined {
  if (a.length !== b.length) return `${a.length} hits in the ${aName} store, ${b.length} in the ${bName} store`;
  const rank = a.findIndex((hit, i) => Math.abs(hit.score - b[i].score) > SCORE_TOLERANCE);
  if (rank !== -1) return `rank ${rank + 1} scores ${a[rank].score} (${a[rank].id}) in the ${aName} store, ${b[rank].score} (${b[rank].id}) in the ${bName} store`;
  if (a.length === 0) return undefined;
  const cut = Math.min(a[a.length - 1].score, b[b.length - 1].score) + SCORE_TOLERANCE;
  const missing = (from: readonly SearchHit[], other: readonly SearchHit[]) => {
    const ids = new Set(other.map((h) => h.id));
    return from.find((hit) => hit.score > cut && !ids.has(hit.id));
  };
  const onlyInA = missing(a, b);
  if (onlyInA) return `${onlyInA.id} (score ${onlyInA.score}) is in the ${aName} store's hits only`;
  const onlyInB = missing(b, a);
  if (onlyInB) return `${onlyInB.id} (score ${onlyInB.score}) is in the ${bName} store's hits only`;
  return undefined;
}
