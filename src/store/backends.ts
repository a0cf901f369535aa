// The store backends, one line each. Everything that names a kind of store comes from this table:
// StoreKind, which store a configuration selects (the first entry it sets up: Qdrant when QDRANT_URL
// is set, else the embedded store, which is always set up), `migrate`'s --from/--to choices and
// their messages, the identity jobs and leases carry, and where the store is as commands print it.
// A new backend is one file exporting its StoreBackend (store-backend.ts) plus one line here.
import { EmbedlineError } from '../errors.ts';
import { localBackend } from './local/local-store.ts';
import { qdrantBackend } from './qdrant/qdrant-store.ts';
import type { StoreBackend } from './store-backend.ts';
import type { VectorStore } from './vector-store.ts';

/** In the order a configuration selects them: the first one it sets up is the store. */
export const STORE_BACKENDS = [qdrantBackend, localBackend] as const;

export type StoreKind = (typeof STORE_BACKENDS)[number]['kind'];

/** Any backend of a table (settings are opaque outside it: they come from its own fromConfig). */
export type AnyBackend = StoreBackend<string, any, any>;

type NeedsOf<B> = B extends StoreBackend<string, infer Needs, unknown> ? Needs : never;
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (all: infer I) => void ? I : never;

/**
 * The settings every backend reads, by the names src/config.ts's Config gives them (dataDir,
 * qdrantUrl…): the library's openStore() options. A backend's own fields join by its line above.
 */
export type StoreConfig = Intersection<NeedsOf<(typeof STORE_BACKENDS)[number]>>;

/** Which store it is and where: what `collections`, `migrate`, `status` and the worker's log show. */
export interface StorePlace {
  kind: string;
  /** The folder, or the server's URL without credentials. */
  where: string;
  /** The store as queued jobs and leases name it: EMBEDLINE_STORE_ID for the configured store, else `<kind>:<identity>`. */
  id: string;
}

/** A store chosen (not opened yet): where it is, and how to open it. */
export interface ChosenStore {
  place: StorePlace;
  open(): VectorStore;
}

/** `qdrant | local`, for help texts. */
export function kindChoices(table: readonly AnyBackend[] = STORE_BACKENDS): string {
  return table.map((backend) => backend.kind).join(' | ');
}

/** `qdrant or local` (`a, b or c`), for messages. */
function kindsInWords(table: readonly AnyBackend[]): string {
  const kinds = table.map((backend) => backend.kind);
  return kinds.length < 2 ? kinds.join('') : `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}

/** A kind typed in a flag, refused in one line naming the flag and the kinds there are. */
export function parseStoreKind<T extends readonly AnyBackend[] = typeof STORE_BACKENDS>(value: string, flag: string, table: T = STORE_BACKENDS as unknown as T): T[number]['kind'] {
  const backend = table.find((candidate) => candidate.kind === value);
  if (!backend) throw new EmbedlineError('CONFIG_INVALID', `${flag} must be ${kindsInWords(table)}, got "${value}"`);
  return backend.kind;
}

/** The backend this configuration selects: the first of the table it sets up. */
export function configuredBackend(config: StoreConfig, table: readonly AnyBackend[] = STORE_BACKENDS): AnyBackend {
  const backend = table.find((candidate) => candidate.fromConfig(config) !== undefined);
  if (!backend) throw new EmbedlineError('CONFIG_INVALID', `no store is configured: ${table.map((b) => b.missing ?? `${b.kind} is not set up`).join('; ')}`);
  return backend;
}

/**
 * The store of `kind` (default: the one the configuration selects), with its place. `storeId`
 * (EMBEDLINE_STORE_ID) names the configured store only; a store of another kind (`migrate`'s other
 * side) has the identity its own settings give it.
 */
export function chooseStore(config: StoreConfig & { storeId?: string }, kind?: string, table: readonly AnyBackend[] = STORE_BACKENDS): ChosenStore {
  const configured = configuredBackend(config, table);
  const backend = kind === undefined ? configured : table.find((candidate) => candidate.kind === kind);
  if (!backend) throw new EmbedlineError('CONFIG_INVALID', `no store kind "${kind}": there are ${kindsInWords(table)}`);
  const settings: unknown = backend.fromConfig(config);
  if (settings === undefined) throw new EmbedlineError('CONFIG_INVALID', backend.missing ?? `the ${backend.kind} store is not set up`);
  const id = backend === configured && config.storeId ? config.storeId : `${backend.kind}:${backend.identity(settings)}`;
  return { place: { kind: backend.kind, where: backend.where(settings), id }, open: () => backend.open(settings) };
}
