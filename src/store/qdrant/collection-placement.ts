// How a collection is spread over a Qdrant cluster: shards (shard_number), copies of each shard
// (replication_factor) and copies that must confirm a write before Qdrant answers it
// (write_consistency_factor). Set once, when the collection (or a reindex's new version) is
// created, from EMBEDLINE_QDRANT_SHARDS, …_REPLICATION_FACTOR and …_WRITE_CONSISTENCY; unset ones
// take Qdrant's defaults. Qdrant records them in the collection's params, which `embedline
// collections` reads back, so what a collection was made with is what is shown.
import type { Schemas } from '@qdrant/js-client-rest';
import type { CollectionPlacement } from '../vector-store.ts';

/** The placement asked for; each part unset means Qdrant's default. */
export type PlacementSettings = Partial<CollectionPlacement>;

/** The CreateCollection fields for these settings (none when nothing is set). */
export function placementFields(settings: PlacementSettings): Pick<Schemas['CreateCollection'], 'shard_number' | 'replication_factor' | 'write_consistency_factor'> {
  return {
    ...(settings.shards !== undefined ? { shard_number: settings.shards } : {}),
    ...(settings.replicationFactor !== undefined ? { replication_factor: settings.replicationFactor } : {}),
    ...(settings.writeConsistency !== undefined ? { write_consistency_factor: settings.writeConsistency } : {}),
  };
}

/** The placement Qdrant reports for a collection (its defaults, 1 each, when a field is missing). */
export function recordedPlacement(info: Schemas['CollectionInfo']): CollectionPlacement {
  const params = info.config.params;
  return { shards: params.shard_number ?? 1, replicationFactor: params.replication_factor ?? 1, writeConsistency: params.write_consistency_factor ?? 1 };
}
