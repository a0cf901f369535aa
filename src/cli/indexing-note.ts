// What to tell a user about a collection whose ANN index a server store is still building: after a
// bulk load a real Qdrant builds HNSW in the background, and searches are correct but slower until
// it is done. Nothing for the embedded store, which builds its indexes before `ingest` returns.
import type { CollectionInfo } from '../store/vector-store.ts';

/** The `index` column of `collections` and `status`: ready, optimizing (n/m vectors indexed), … */
export function indexingText(info: CollectionInfo): string {
  const { indexing } = info;
  if (indexing === undefined) return 'ready';
  const progress = `${indexing.indexedVectors}/${info.points} vectors indexed`;
  return indexing.state === 'ready' ? 'ready' : `${indexing.state} (${indexing.detail ?? progress})`;
}

/** One line for `ingest` when the index is not ready yet, else undefined. */
export function indexingNote(info: CollectionInfo | undefined): string | undefined {
  if (info?.indexing === undefined || info.indexing.state === 'ready') return undefined;
  return (
    `note: ${info.name} is searchable now, but Qdrant is still building its vector index in the background (${indexingText(info)}): ` +
    'searches are exact and slower until it is done; `embedline collections` shows its progress'
  );
}
