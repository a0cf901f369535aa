// What one store backend is to the rest of embedline, so that adding one is one file plus one line
// in store/backends.ts: its kind, the settings it takes from the configuration (the Config fields it
// reads, by their names there), the identity queued jobs and leases name it by, where it is as
// commands print it, and how it opens. Nothing outside a backend's own folder and the table names it.
import type { VectorStore } from './vector-store.ts';

export interface StoreBackend<Kind extends string, Needs, Settings> {
  readonly kind: Kind;
  /** What it is and which setting points at it, for help texts: "Qdrant (QDRANT_URL)". */
  readonly about: string;
  /** Why a configuration without this backend's own setting cannot open it (asked for by kind); none for a backend always set up. */
  readonly missing?: string;
  /**
   * Its settings from the configuration, or undefined when the configuration does not set it up.
   * The first backend of the table that the configuration sets up is the store.
   */
  fromConfig(config: Needs): Settings | undefined;
  /** Which store of this kind it is, the same from every process that reaches it (jobs carry it). */
  identity(settings: Settings): string;
  /** Where it is, as commands print it (never a credential). */
  where(settings: Settings): string;
  open(settings: Settings): VectorStore;
}
