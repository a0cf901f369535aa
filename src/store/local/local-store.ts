// The embedded store as a backend (store/backends.ts): the shared rules (checked-store.ts) over
// LanceDB in a folder (EMBEDLINE_DATA), the store whenever no other backend is configured.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../../config.ts';
import { CheckedStore } from '../checked-store.ts';
import { DeferredAdapter } from '../deferred-adapter.ts';
import type { StoreBackend } from '../store-backend.ts';
import { defaultDataDir } from './data-dir.ts';
import { indexThresholds, type IndexThresholds } from './index-policy.ts';

export interface LocalSettings {
  /** Absolute. */
  dataDir: string;
  thresholds: Partial<IndexThresholds>;
}

export const localBackend: StoreBackend<'local', Partial<Pick<Config, 'dataDir' | 'indexMinRows'>>, LocalSettings> = {
  kind: 'local',
  about: 'the embedded LanceDB store (EMBEDLINE_DATA)',
  fromConfig: (config) => ({ dataDir: resolve(config.dataDir ?? defaultDataDir()), thresholds: { vectorMinRows: config.indexMinRows } }),
  // The same path on another host is another disk.
  identity: ({ dataDir }) => `${hostname()}:${dataDir}`,
  where: ({ dataDir }) => dataDir,
  open: ({ dataDir, thresholds }) => openLocalStore(dataDir, thresholds),
};

/** The embedded store in `dataDir` (tests and benches choose their own index thresholds). */
export function openLocalStore(dataDir: string, thresholds: Partial<IndexThresholds> = {}): CheckedStore {
  // LanceDB and Arrow load with the adapter, on the store's first operation (deferred-adapter.ts).
  const load = async () => new (await import('./local-adapter.ts')).LocalAdapter(resolve(dataDir), indexThresholds(thresholds));
  return new CheckedStore(new DeferredAdapter('local', load));
}
