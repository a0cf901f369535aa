// The embedded store as a backend (store/backends.ts): the shared rules (checked-store.ts) over
// LanceDB in a folder (EMBEDLINE_DATA), the store whenever no other backend is configured.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Config } from '../../config.ts';
import { CheckedStore } from '../checked-store.ts';
import type { StoreBackend } from '../store-backend.ts';
import { defaultDataDir } from './data-dir.ts';
import { indexThresholds, type IndexThresholds } from './index-policy.ts';
import { LocalAdapter } from './local-adapter.ts';

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
  return new CheckedStore(new LocalAdapter(resolve(dataDir), indexThresholds(thresholds)));
}
