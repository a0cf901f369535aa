// Qdrant as a backend (store/backends.ts): the shared rules (checked-store.ts) over a Qdrant
// server, the store whenever QDRANT_URL is set.
import type { Config } from '../../config.ts';
import { CheckedStore } from '../checked-store.ts';
import { DeferredAdapter } from '../deferred-adapter.ts';
import type { StoreBackend } from '../store-backend.ts';
import type { QdrantStoreOptions } from './qdrant-adapter.ts';

export type { QdrantStoreOptions } from './qdrant-adapter.ts';

export const qdrantBackend: StoreBackend<'qdrant', Partial<Pick<Config, 'qdrantUrl' | 'qdrantApiKey' | 'qdrantPlacement'>>, QdrantStoreOptions> = {
  kind: 'qdrant',
  about: 'Qdrant (QDRANT_URL)',
  missing: 'QDRANT_URL is not set: it says which Qdrant server to use',
  fromConfig: ({ qdrantUrl, qdrantApiKey, qdrantPlacement }) => (qdrantUrl ? { url: qdrantUrl, apiKey: qdrantApiKey || undefined, placement: qdrantPlacement } : undefined),
  // By the URL's origin: every process reaching the server there writes to the same store.
  identity: ({ url }) => new URL(url).origin,
  // Without a user or password the URL may carry.
  where: ({ url }) => {
    const { origin, pathname } = new URL(url);
    return pathname === '/' ? origin : `${origin}${pathname}`;
  },
  open: (options) => openQdrantStore(options),
};

/** A Qdrant store with options of its own (tests: retry policies, batch limits). */
export function openQdrantStore(options: QdrantStoreOptions): CheckedStore {
  // The Qdrant client loads with the adapter, on the store's first operation (deferred-adapter.ts).
  return new CheckedStore(new DeferredAdapter('qdrant', async () => new (await import('./qdrant-adapter.ts')).QdrantAdapter(options)));
}
