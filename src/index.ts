// The public library API, the package's only entry (package.json `exports`):
//
//   import { loadEmbedder, openStore, ingest, search } from 'embedline';
//
// Each function runs the same code as the CLI command of that name (ingest and reindex through
// src/core, search through SearchService) and fails with the same errors: an EmbedlineError whose
// `code` is one of ErrorCode, with the CLI's one-line message. Settings not passed as options come
// from the environment exactly as for the CLI (REDIS_URL, QDRANT_URL, EMBEDLINE_DATA, EMBEDLINE_MODEL,
// EMBEDLINE_QUEUE_PREFIX…, validated by config.ts). Whatever a call opens it closes again; a store
// passed in is the caller's to close.
import { loadConfig, type Config } from './config.ts';
import { describeValue } from './contracts/value-kind.ts';
import { EmbedlineError } from './errors.ts';
import type { ModelChoice } from './core/model-choice.ts';
import { ingestPlan, reindexPlan } from './core/run-plans.ts';
import { definedOnly, openRuntime, type Runtime } from './core/runtime.ts';
import { runIngest, type IngestProgress, type IngestSummary } from './core/run-ingest.ts';
import { reindexCollection, type ReindexResult } from './core/run-reindex.ts';
import type { Filter } from './contracts/filter.ts';
import type { SearchHit } from './contracts/search-hit.ts';
import type { SearchMode } from './contracts/search-mode.ts';
import type { Embedder, LoadOptions } from './embed/embedder.ts';
import { DEFAULT_MODEL_ID } from './hub/model-name.ts';
import { loadModel } from './hub/resolve-model.ts';
import type { Pooling } from './embed/pooling.ts';
import { promptOverrides } from './embed/prompts.ts';
import { setLogLevel, setLogQuiet } from './log.ts';
import type { SourceOptions } from './producer/sources/open-source.ts';
import { CollectionModels } from './search/collection-models.ts';
import { SearchService, type DocumentHit, type GroupBy } from './search/search-service.ts';
import type { StoreConfig } from './store/backends.ts';
import type { VectorStore } from './store/vector-store.ts';

export { EmbedlineError, EmptyTextError, TextTooLongError, isEmbedlineError, type ErrorCode } from './errors.ts';
export type { Chunk, Metadata, MetadataValue } from './contracts/chunk.ts';
export type { CollectionSpec, Distance } from './contracts/collection-spec.ts';
export type { Filter, FilterCondition, FilterRange, FilterScalar } from './contracts/filter.ts';
export type { DocumentHit, GroupBy };
export type { SearchHit } from './contracts/search-hit.ts';
export type { SearchMode } from './contracts/search-mode.ts';
export type { Embedder, EmbedOptions, EmbedResult, LoadOptions } from './embed/embedder.ts';
export type { ModelInfo } from './embed/model-info.ts';
export type { Pooling } from './embed/pooling.ts';
export type { IngestProgress, IngestSummary } from './core/run-ingest.ts';
export type { ReindexResult } from './core/run-reindex.ts';
export type { SourceFormat, SourceOptions } from './producer/sources/open-source.ts';
export type { CollectionInfo, IndexingState, TextQuery, VectorStore } from './store/vector-store.ts';

/** Where a store lives: the embedded LanceDB folder, or a Qdrant server when qdrantUrl is set. */
export type StoreOptions = StoreConfig;

/**
 * The model for a call: a loaded embedder, or a folder or Hugging Face Hub id `org/name[@revision]`
 * (default: EMBEDLINE_MODEL, else sentence-transformers/all-MiniLM-L6-v2, found in the local
 * models folders or the cache, else fetched; docs/models.md).
 */
export interface ModelOptions {
  model?: string | Embedder;
  /** With a name: load the int8 graph instead of the fp32 one. */
  quantized?: boolean;
  /** With a name: onnxruntime threads (default: EMBEDLINE_THREADS or all cores). */
  threads?: number;
}

export interface IngestOptions extends SourceOptions, ModelOptions {
  collection: string;
  /** Default: the model's own. */
  pooling?: Pooling;
  /** Default true; false stores unnormalised vectors (dot-product collection). */
  normalize?: boolean;
  /** Instead of the model's query / document prompt (config_sentence_transformers.json); "" for none. Recorded with the collection. */
  queryPrompt?: string;
  documentPrompt?: string;
  chunkTokens?: number;
  overlap?: number;
  /** In-process workers for this call (default 1); 0 only queues, for external `embedline worker`s. */
  workers?: number;
  /** Jobs each in-process worker holds at once (default 4). */
  concurrency?: number;
  /** Default true: resolve once the store holds every document; false (with workers: 0) once queued. */
  wait?: boolean;
  prune?: boolean;
  bulkLoad?: boolean;
  /** Where bad rows go, appended to (default: a file of the run's own, <EMBEDLINE_DATA>/rejects/<collection>-<UTC time>.jsonl). */
  rejectsPath?: string;
  /** Default: openStore() from the environment. */
  store?: VectorStore;
  /** Default: REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Redis key prefix of the queue (default EMBEDLINE_QUEUE_PREFIX, else "embedline"). */
  queuePrefix?: string;
  onProgress?: (progress: IngestProgress) => void;
}

export interface SearchOptions {
  /** Hits to return, 1..1000 (default 10). */
  k?: number;
  /** dense (default): embedding similarity; keyword: the keyword index; hybrid: both, fused by reciprocal rank. */
  mode?: SearchMode;
  filter?: Filter;
  scoreThreshold?: number;
  /** The query prompt meant ("" for none): refused unless it is the one the collection recorded, which every query gets. */
  queryPrompt?: string;
  /** "document": one hit per document (its best chunk), each with `matches` (see search/search-service.ts). */
  groupBy?: GroupBy;
  /** Default: openStore() from the environment. */
  store?: VectorStore;
  /**
   * The model to embed queries with: a folder or Hub id (default: EMBEDLINE_MODEL, else the default
   * Hub id). When it is not the one the collection was built with, the collection's recorded Hub
   * model is used (found locally or fetched). Or an embedder already loaded, used as it is.
   */
  model?: string | Embedder;
  threads?: number;
}

export interface ReindexOptions extends ModelOptions {
  collection: string;
  pooling?: Pooling;
  normalize?: boolean;
  /** Instead of the new model's query / document prompt; "" for none. */
  queryPrompt?: string;
  documentPrompt?: string;
  /** How long the previous version stays after the switch (default 60 s). */
  graceMs?: number;
  store?: VectorStore;
  /** The Redis where ingests and reindexes of the store see each other (default: REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string;
  /** Redis key prefix of the queue (default EMBEDLINE_QUEUE_PREFIX, else "embedline"). */
  queuePrefix?: string;
}

/**
 * Loads a model by folder or Hub id (default: EMBEDLINE_MODEL, else the default Hub id, fetched on
 * first use); `.embed(texts, {pooling})`. Options not given take the inference settings of the
 * environment (EMBEDLINE_THREADS…), as in the CLI.
 */
export async function loadEmbedder(model?: string, options: LoadOptions = {}): Promise<Embedder> {
  const config = environment();
  return loadModel(model ?? config.modelDir, config.hub, { ...config.inference, ...definedOnly(options) });
}

/** The configuration for a call, read now (the caller may change the environment between calls); logs follow EMBEDLINE_LOG_LEVEL and EMBEDLINE_QUIET as in the CLI. */
function environment(): Config {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  setLogQuiet(config.quiet);
  return config;
}

/**
 * Opens the vector store: Qdrant when qdrantUrl (or QDRANT_URL) is set, else the embedded store. It
 * is the caller's to close; handed to ingest() or reindex(), its jobs and leases carry its own id
 * (EMBEDLINE_STORE_ID when set, else derived from these settings).
 */
export function openStore(options: StoreOptions = {}): VectorStore {
  // The runtime opens nothing else (no queue), so it needs no closing of its own.
  return openRuntime(environment(), { store: options }).store();
}

/** Indexes a CSV/TSV file, a JSONL file or a folder into a collection, as `embedline ingest` does. */
export async function ingest(source: string, options: IngestOptions): Promise<IngestSummary> {
  requireName('ingest()', 'source', source);
  requireOptions('ingest()', options);
  requireName('ingest()', 'options.collection', options.collection);
  const runtime = runtimeFor(options);
  const { embedder, model } = modelOf(options, runtime);
  try {
    return await runIngest(
      ingestPlan({
        source,
        sourceOptions: sourceOptionsOf(options),
        collection: options.collection,
        model,
        pooling: options.pooling,
        normalize: options.normalize,
        prompts: promptOverrides(options),
        chunkTokens: options.chunkTokens,
        overlap: options.overlap,
        workers: options.workers,
        concurrency: options.concurrency,
        wait: options.wait,
        prune: options.prune,
        bulkLoad: options.bulkLoad,
        rejectsPath: options.rejectsPath,
      }),
      { store: runtime.store(), queue: runtime.queue, connection: runtime.connection, config: runtime.config, loadEmbedder: embedder },
      options.onProgress,
    );
  } finally {
    await runtime.close();
  }
}

/** Query models by folder and threads, kept for the process: a second search does not load the model again. */
const queryModels = new Map<string, CollectionModels>();

/** Semantic search: the query embedded with the collection's own model and pooling, as `embedline search` does. */
export async function search(collection: string, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  // The query is checked by SearchService, as for every search.
  requireName('search()', 'collection', collection);
  requireOptions('search()', options);
  const config = environment();
  const inference = { ...config.inference, threads: options.threads ?? config.inference.threads };
  const given = options.model;
  let models: CollectionModels | undefined;
  if (typeof given === 'object') {
    models = new CollectionModels(given.info.dir, inference, config.hub).adopt(given);
  } else {
    const model = given ?? config.modelDir ?? DEFAULT_MODEL_ID;
    const key = JSON.stringify([model, options.threads, config.hub]);
    models = queryModels.get(key);
    if (!models) queryModels.set(key, (models = new CollectionModels(model, inference, config.hub)));
  }
  const runtime = openRuntime(config, { store: options.store });
  try {
    const service = new SearchService(runtime.store(), models);
    const { k, filter, scoreThreshold, mode, queryPrompt, groupBy } = options;
    return (await service.search(collection, query, { k, filter, scoreThreshold, mode, queryPrompt, groupBy })).hits;
  } finally {
    await runtime.close();
  }
}

/** Re-embeds a collection into its next version and switches to it atomically, as `embedline reindex` does. */
export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  requireOptions('reindex()', options);
  requireName('reindex()', 'options.collection', options.collection);
  const runtime = runtimeFor(options);
  const { embedder, model } = modelOf(options, runtime);
  try {
    return await reindexCollection(
      reindexPlan({ collection: options.collection, model, pooling: options.pooling, normalize: options.normalize, prompts: promptOverrides(options), graceMs: options.graceMs }),
      {
        store: runtime.store(),
        lease: { connection: runtime.connection, prefix: runtime.config.queuePrefix, storeId: runtime.config.storeId },
        loadEmbedder: embedder,
      },
    );
  } finally {
    await runtime.close();
  }
}

/**
 * Arguments as plain-JavaScript callers may pass them: a missing or mistyped one is an
 * EmbedlineError naming it, never a TypeError from deep inside the run.
 */
function requireName(call: string, argument: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new EmbedlineError('INPUT_INVALID', `${call}: ${argument} must be a non-empty string, got ${value === '' ? 'an empty string' : describeValue(value)}`);
  }
}

function requireOptions(call: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new EmbedlineError('INPUT_INVALID', `${call}: options must be an object, got ${describeValue(options)}`);
  }
}

/** Only the source's own options reach the readers (the CSV parser must not see the rest). */
function sourceOptionsOf(o: IngestOptions): SourceOptions {
  const { format, delimiter, quote, relaxQuotes, maxRowBytes, textFields, idField, metadataFields, listFields, numberFields, extensions, maxFileBytes } = o;
  return { format, delimiter, quote, relaxQuotes, maxRowBytes, textFields, idField, metadataFields, listFields, numberFields, extensions, maxFileBytes };
}

/** What an ingest or reindex runs with: the caller's store (left open) or the configured one, and the Redis named. */
function runtimeFor(options: Pick<IngestOptions, 'store' | 'redisUrl' | 'queuePrefix'>): Runtime {
  return openRuntime(environment(), { store: options.store, redisUrl: options.redisUrl, queuePrefix: options.queuePrefix });
}

/** A loaded embedder is used as it is; a name is resolved and loaded by the run, after the source has opened. */
function modelOf(options: ModelOptions, runtime: Runtime): { model: ModelChoice; embedder?: () => Promise<Embedder> } {
  const { model } = options;
  if (typeof model === 'object') return { model: { name: model.info.dir, hub: runtime.model.hub }, embedder: async () => model };
  return { model: { ...runtime.model, ...definedOnly({ name: model, quantized: options.quantized, threads: options.threads }) } };
}
