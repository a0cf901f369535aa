// Picks the vector store for this run: the embedded LanceDB store unless a Qdrant URL is given.
// Every setting arrives as a typed option (src/config.ts reads the environment, once).
import { EmbedlineError } from '../errors.ts';
import { defaultDataDir } from './local/data-dir.ts';
import { LocalVectorStore } from './local/local-store.ts';
import type { PlacementSettings } from './qdrant/collection-placement.ts';
import { QdrantVectorStore } from './qdrant/qdrant-store.ts';
import type { VectorStore } from './vector-store.ts';

export type StoreKind = 'local' | 'qdrant';

export interface StoreConfig {
  /** Folder of the embedded store (EMBEDLINE_DATA); defaults to ./embedline-data. */
  dataDir?: string;
  /** Qdrant base URL (QDRANT_URL). When set, Qdrant is used instead of the local store. */
  qdrantUrl?: string;
  qdrantApiKey?: string;
  /** Qdrant: shards, replication and write consistency of new collections (EMBEDLINE_QDRANT_SHARDS…). */
  qdrantPlacement?: PlacementSettings;
  /** Rows from which the embedded store builds its ANN index (EMBEDLINE_INDEX_MIN_ROWS). */
  indexMinRows?: number;
}

export function openStore(config: StoreConfig = {}): VectorStore {
  return openStoreOfKind(config.qdrantUrl ? 'qdrant' : 'local', config);
}

/** A store of a named kind whatever the Qdrant URL selects by default (`embedline migrate` uses both). */
export function openStoreOfKind(kind: StoreKind, config: StoreConfig = {}): VectorStore {
  switch (kind) {
    case 'local':
      return new LocalVectorStore(config.dataDir ?? defaultDataDir(), { vectorMinRows: config.indexMinRows });
    case 'qdrant': {
      const url = config.qdrantUrl;
      if (!url) throw new EmbedlineError('CONFIG_INVALID', 'QDRANT_URL is not set: it says which Qdrant server to use');
      return new QdrantVectorStore({ url, apiKey: config.qdrantApiKey || undefined, placement: config.qdrantPlacement });
    }
  }
}
