// Picks the vector store for this run: the embedded LanceDB store unless a Qdrant URL is configured.
import { defaultDataDir } from './local/data-dir.ts';
import { LocalVectorStore } from './local/local-store.ts';
import { QdrantVectorStore } from './qdrant/qdrant-store.ts';
import { EmbedlineError } from '../errors.ts';
import type { VectorStore } from './vector-store.ts';

export type StoreKind = 'local' | 'qdrant';

export interface StoreConfig {
  /** Folder of the embedded store; defaults to EMBEDLINE_DATA or ./embedline-data. */
  dataDir?: string;
  /** Qdrant base URL; defaults to QDRANT_URL. When set, Qdrant is used instead of the local store. */
  qdrantUrl?: string;
  qdrantApiKey?: string;
}

export function openStore(config: StoreConfig = {}): VectorStore {
  const qdrantUrl = config.qdrantUrl || process.env.QDRANT_URL;
  if (qdrantUrl) return new QdrantVectorStore({ url: qdrantUrl, apiKey: config.qdrantApiKey || process.env.QDRANT_API_KEY || undefined });
  return new LocalVectorStore(config.dataDir ?? defaultDataDir());
}

/** A store of a named kind whatever QDRANT_URL selects by default (`embedline migrate` uses both). */
export function openStoreOfKind(kind: StoreKind, config: StoreConfig = {}): VectorStore {
  if (kind === 'local') return new LocalVectorStore(config.dataDir ?? defaultDataDir());
  const url = config.qdrantUrl || process.env.QDRANT_URL;
  if (!url) throw new EmbedlineError('CONFIG_INVALID', 'QDRANT_URL is not set: it says which Qdrant server to use');
  return new QdrantVectorStore({ url, apiKey: config.qdrantApiKey || process.env.QDRANT_API_KEY || undefined });
}
