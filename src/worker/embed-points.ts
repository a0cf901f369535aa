// The one place chunks become points: embedded with the collection spec's pooling, normalisation
// and document prompt, given their content-derived ids (store/point-id.ts) and their write version.
// The worker's jobs, `reindex` and `eval compare` on a corpus all write what this builds, so the
// same chunks make the same points, byte for byte, whichever path wrote them.
import type { Chunk } from '../contracts/chunk.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import { CoalescedEmbedder, type VectorChoices } from '../batching/coalesced-embedder.ts';
import type { Embedder } from '../embed/embedder.ts';
import { pointId } from '../store/point-id.ts';
import type { StoredPoint } from '../store/vector-store.ts';
import { UNVERSIONED } from '../store/write-version.ts';

/**
 * The write version of every point, or of each (reindex keeps the version each point was stored
 * with). Unset: UNVERSIONED, as points written before versions existed.
 */
export type PointVersions = number | readonly number[];

/**
 * The points of `chunks` for `collection` (its logical name: ids stay the same across versions),
 * in the chunks' order. No truncation: a chunk that does not fit the model fails the call with the
 * embedder's error (from an Embedder, its `details.index` is the chunk's place in `chunks`).
 */
export async function embedPoints(
  embedder: Pick<Embedder, 'embed'> | CoalescedEmbedder,
  spec: CollectionSpec,
  collection: string,
  chunks: readonly Chunk[],
  versions: PointVersions = UNVERSIONED,
): Promise<StoredPoint[]> {
  const texts = chunks.map((chunk) => chunk.text);
  // A collection's chunks are embedded with its pooling, its normalisation and its document prompt.
  const choices: VectorChoices = { pooling: spec.pooling, normalize: spec.normalize, prompt: spec.documentPrompt };
  const vectors = embedder instanceof CoalescedEmbedder ? await embedder.embed(texts, choices) : (await embedder.embed(texts, choices)).vectors;
  return chunks.map((chunk, i) => ({
    id: pointId(collection, chunk.documentId, chunk.chunkIndex),
    vector: vectors[i],
    chunk,
    version: typeof versions === 'number' ? versions : versions[i],
  }));
}
