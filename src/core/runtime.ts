// What a command or a library call runs with, opened one way for all of them (the CLI's context,
// `migrate`, src/index.ts): the store the configuration selects, with its place (kind, where, the id
// jobs carry; store/backends.ts), the Redis connection and the queue on it, and the model the
// configuration names. The store and the queue open on first use; close() closes what was opened
// here, the queue within the Redis connect timeout (a Redis gone away must not keep a process alive).
import type { Config } from '../config.ts';
import { EmbedQueue } from '../queue/embed-queue.ts';
import { redisOptionsFromUrl, type RedisConnectionOptions } from '../queue/redis-connection.ts';
import { chooseStore, type ChosenStore, type StoreConfig, type StoreKind, type StorePlace } from '../store/backends.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { definedOnly } from './defined-only.ts';
import { loadChosenModel, type EmbedderFactory, type ModelChoice } from './model-choice.ts';

/** The configuration with the id of the store in force (EMBEDLINE_STORE_ID, else the store's own identity). */
export type RuntimeConfig = Config & { storeId: string };

export interface RuntimeOverrides {
  /**
   * Store settings instead of the configuration's (the library's openStore() options), or a store
   * already open: the caller's, used as it is and never closed here.
   */
  store?: Partial<StoreConfig> | VectorStore;
  /** Instead of REDIS_URL. */
  redisUrl?: string;
  /** Instead of EMBEDLINE_QUEUE_PREFIX. */
  queuePrefix?: string;
}

export interface Runtime {
  config: RuntimeConfig;
  /** Which store, where, and the id its jobs and leases carry. */
  place: StorePlace;
  store(): VectorStore;
  /**
   * A store of a named kind whatever the configuration selects (`migrate` opens both sides), with
   * its own place; closed by close(). CONFIG_INVALID when the kind's own setting is missing.
   */
  storeOfKind(kind: StoreKind): { place: StorePlace; store: VectorStore };
  connection: RedisConnectionOptions;
  queue(): EmbedQueue;
  /** The model the configuration names (EMBEDLINE_MODEL, Hub and inference settings); a run may name another. */
  model: ModelChoice;
  loadModel: EmbedderFactory;
  close(): Promise<void>;
}

/** Where each store opened by a runtime is: a store handed back in (the library's) keeps its own id. */
const placeOfStore = new WeakMap<VectorStore, StorePlace>();

export function openRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  const given = isStore(overrides.store) ? overrides.store : undefined;
  const storeConfig = { ...config, ...definedOnly(given ? {} : (overrides.store ?? {})) };
  const chosen = chooseStore(storeConfig);
  const place = (given && placeOfStore.get(given)) || chosen.place;
  const connection = redisOptionsFromUrl(overrides.redisUrl ?? config.redisUrl, config.redisConnectTimeoutMs);
  const queuePrefix = overrides.queuePrefix ?? config.queuePrefix;
  const opened: VectorStore[] = [];
  const open = (choice: ChosenStore) => {
    const store = choice.open();
    placeOfStore.set(store, choice.place);
    opened.push(store);
    return store;
  };
  let store: VectorStore | undefined = given;
  let queue: EmbedQueue | undefined;
  return {
    config: { ...config, queuePrefix, storeId: place.id },
    place,
    store: () => (store ??= open(chosen)),
    storeOfKind: (kind) => {
      const choice = chooseStore(storeConfig, kind);
      return { place: choice.place, store: open(choice) };
    },
    connection,
    queue: () => (queue ??= new EmbedQueue(connection, queuePrefix)),
    model: { ...config.inference, name: config.modelDir, hub: config.hub },
    loadModel: loadChosenModel,
    close: async () => {
      await Promise.all([...opened.map((each) => each.close()), queue?.closeWithin(connection.connectTimeout)]);
    },
  };
}

function isStore(value: RuntimeOverrides['store']): value is VectorStore {
  return typeof (value as Partial<VectorStore> | undefined)?.upsert === 'function';
}

export { definedOnly } from './defined-only.ts';
