// Opens a vector store from typed settings (src/config.ts reads the environment, once): the one the
// configuration selects, or one of a named kind (`embedline migrate` opens both sides). Which kinds
// there are, and which one a configuration selects, is store/backends.ts's table.
import { chooseStore, type StoreConfig, type StoreKind } from './backends.ts';
import type { VectorStore } from './vector-store.ts';

export type { StoreConfig, StoreKind } from './backends.ts';

/** The store the settings select: Qdrant when qdrantUrl is set, else the embedded one in dataDir. */
export function openStore(config: StoreConfig = {}): VectorStore {
  return chooseStore(config).open();
}

/** A store of a named kind whatever the settings select by default; CONFIG_INVALID when its own setting is missing. */
export function openStoreOfKind(kind: StoreKind, config: StoreConfig = {}): VectorStore {
  return chooseStore(config, kind).open();
}
