// Which BERT output, is int8 good enough, and do the model's prompts help, for retrieval on the
// user's own corpus? Reads and chunks the corpus once, exactly as `ingest` does (same source
// readers, same chunker, same settings, room left for the document prompt), then for each variant
// (pooling × model file × prompts on/off) embeds every chunk into a throw-away
// collection of an embedded store in a scratch folder, runs the queries through the same search
// path as `eval retrieval` (once per search mode asked: dense, keyword, hybrid; the modes share
// the variant's collection, nothing is embedded again), and reports that variant's metrics and
// embedding throughput.
//
// Chunks are embedded here directly, not through BullMQ and workers: the comparison measures the
// model, and a queue would add Redis round trips, job batching and worker scheduling to the
// throughput figure (and make the command need Redis) without changing a single vector (the points
// are built by the worker's own embedPoints).
//
// rankBySearch is how every retrieval evaluation ranks documents: through the same SearchService as
// `embedline search` and the HTTP API (query embedded with the collection's own model and pooling,
// then the store's search, in the given mode), so an evaluation scores what users get. `eval
// retrieval` on a real collection, this comparison and bench/search-quality share it, so all three
// give equal figures.
import type { HubConfig } from '../config.ts';
import type { Chunk } from '../contracts/chunk.ts';
import { specForModel } from '../contracts/collection-spec.ts';
import type { Embedder } from '../embed/embedder.ts';
import { EmbedlineError } from '../errors.ts';
import { CHUNKS_PER_QUERY, evaluateRetrieval, type RankDocuments, type RelevanceQuery, type RetrievalMetrics } from '../eval/retrieval.ts';
import type { CompareVariant } from '../eval/sts-compare.ts';
import type { ChunkSettings } from '../producer/chunking/chunk-settings.ts';
import { documentTokenizer, type ChunkTokenizer } from '../producer/chunking/chunk-tokenizer.ts';
import { NO_PROMPTS } from '../embed/prompts.ts';
import { chunkDocument } from '../producer/chunking/chunker.ts';
import type { Source } from '../producer/sources/open-source.ts';
import { CollectionModels, type QueryInference } from '../search/collection-models.ts';
import { SearchService } from '../search/search-service.ts';
import { openStoreOfKind } from '../store/open-store.ts';
import type { VectorStore } from '../store/vector-store.ts';
import type { SearchMode } from '../contracts/search-mode.ts';
import { embedPoints } from '../worker/embed-points.ts';

export interface CorpusComparePlan {
  source: Source;
  queries: readonly RelevanceQuery[];
  variants: readonly CompareVariant[];
  settings: ChunkSettings;
  /** An empty folder for the throw-away store; the caller creates it and removes it afterwards. */
  scratchDir: string;
  /** The model folder the embedders come from (the search path loads the query model from it). */
  modelDir: string;
  /** Where a model named by Hub id comes from. */
  hub?: HubConfig;
  /** How the search path embeds the queries (threads, batch budget); default: all cores. */
  inference?: QueryInference;
  /** EMBEDLINE_INDEX_MIN_ROWS, as `ingest` would index a collection of this size (default 50 000). */
  indexMinRows?: number;
  /** Stops the comparison at its next step (between ONNX runs, never inside one). */
  signal?: AbortSignal;
  /** Search modes each variant is scored in (default: dense only). */
  modes?: readonly SearchMode[];
}

export interface RetrievalVariantResult extends CompareVariant, Omit<RetrievalMetrics, 'queries'> {
  mode: SearchMode;
  /** Chunks embedded per second (embedding only: reading, chunking and store writes not counted). */
  chunksPerSecond: number;
}

export interface CorpusCompareResult {
  documents: number;
  /** Source rows rejected as `ingest` would reject them (empty text, bad id, …). */
  rejected: number;
  chunks: number;
  /**
   * Expected ids the corpus has no document for. They stay in the figures as misses (as `eval
   * retrieval` counts them on a real collection); the caller warns about them.
   */
  unknownExpected: string[];
  variants: RetrievalVariantResult[];
}

interface ChunkedCorpus {
  documents: number;
  rejected: number;
  chunks: Chunk[];
  ids: Set<string>;
}

/**
 * Chunks embedded and written per step: bounded memory, few store commits, and a stop request is
 * seen within one step (a second or two on a busy machine; a step's ONNX runs are never cut short).
 */
const STEP = 64;

/** Ranks documents for `eval retrieval`'s metrics by searching `collection` as users do (see above). */
export function rankBySearch(service: SearchService, collection: string, mode: SearchMode = 'dense'): RankDocuments {
  return async (queries) => (await service.search(collection, queries, { k: CHUNKS_PER_QUERY, mode })).map(({ hits }) => hits.map((hit) => hit.documentId));
}

export async function compareOnCorpus(plan: CorpusComparePlan, embedderFor: (quantized: boolean) => Promise<Embedder>): Promise<CorpusCompareResult> {
  const first = await embedderFor(plan.variants[0].quantized);
  // Both model files of a folder share its tokenizer, so one chunking serves every variant.
  // Chunked once for every variant: with room for the document prompt when any variant uses it.
  const documentPrompt = plan.variants.some((v) => v.prompts) ? first.info.defaultPrompts.document : '';
  const corpus = await chunkCorpus(plan.source, documentTokenizer(first.tokenizer, documentPrompt), plan.settings, plan.signal);
  const unknownExpected = [...new Set(plan.queries.flatMap((q) => q.expected))].filter((id) => !corpus.ids.has(id));
  if (plan.queries.every((q) => q.expected.every((id) => !corpus.ids.has(id)))) {
    throw new EmbedlineError(
      'INPUT_INVALID',
      `no expected id of the queries is a document of ${plan.source.path} (first: "${unknownExpected[0]}"); are the id column/field and the corpus the ones the queries were written for?`,
    );
  }
  const store = openStoreOfKind('local', { dataDir: plan.scratchDir, indexMinRows: plan.indexMinRows });
  const search = new SearchService(store, new CollectionModels(plan.modelDir, plan.inference, plan.hub));
  const variants: RetrievalVariantResult[] = [];
  try {
    // One variant at a time: each gets the whole machine, so the throughputs compare.
    for (const variant of plan.variants) {
      plan.signal?.throwIfAborted();
      const collection = `${variant.pooling}-${variant.quantized ? 'int8' : 'fp32'}-${variant.prompts ? 'prompts' : 'plain'}`;
      const embedSeconds = await embedInto(store, collection, corpus.chunks, await embedderFor(variant.quantized), variant, plan);
      for (const mode of plan.modes ?? ['dense']) {
        const { queries: _count, ...metrics } = await evaluateRetrieval(plan.queries, rankBySearch(search, collection, mode));
        variants.push({ ...variant, mode, ...metrics, chunksPerSecond: Number((corpus.chunks.length / embedSeconds).toFixed(1)) });
      }
    }
  } finally {
    await store.close();
  }
  return { documents: corpus.documents, rejected: corpus.rejected, chunks: corpus.chunks.length, unknownExpected, variants };
}

/** Reads the whole source into chunks; a repeated document id keeps its last version, as a re-ingest would. */
async function chunkCorpus(source: Source, tokenizer: ChunkTokenizer, settings: ChunkSettings, signal?: AbortSignal): Promise<ChunkedCorpus> {
  const byDocument = new Map<string, Chunk[]>();
  let rejected = 0;
  for await (const item of source.read()) {
    signal?.throwIfAborted();
    if (item.kind === 'reject') rejected++;
    else byDocument.set(item.id, chunkDocument(item, tokenizer, settings));
  }
  if (byDocument.size === 0) {
    const why = rejected > 0 ? `: all ${rejected} record(s) were rejected (\`embedline ingest\` writes them to a rejects file)` : '';
    throw new EmbedlineError('SOURCE_INVALID', `${source.path} has no documents to compare on${why}`, { details: { path: source.path, rejected } });
  }
  return { documents: byDocument.size, rejected, chunks: [...byDocument.values()].flat(), ids: new Set(byDocument.keys()) };
}

/** Embeds the chunks into a new collection with the variant's spec; returns the seconds spent embedding. */
async function embedInto(
  store: VectorStore,
  collection: string,
  chunks: readonly Chunk[],
  embedder: Embedder,
  variant: CompareVariant,
  plan: Pick<CorpusComparePlan, 'settings' | 'signal'>,
): Promise<number> {
  // Prompts off: none on either side; on: the model's own (the search path reads the query one from the spec).
  const spec = specForModel(embedder.info, { pooling: variant.pooling, ...plan.settings, prompts: variant.prompts ? undefined : NO_PROMPTS });
  await store.ensureCollection(collection, spec);
  let embedMs = 0;
  for (let at = 0; at < chunks.length; at += STEP) {
    plan.signal?.throwIfAborted();
    const step = chunks.slice(at, at + STEP);
    const started = performance.now();
    // No truncation, as in the worker: the chunker made every chunk fit the model whole.
    const points = await embedPoints(embedder, spec, collection, step);
    embedMs += performance.now() - started;
    await store.upsert(collection, points);
  }
  // As ingest does after a load: the search runs against the index a real collection would have.
  await store.optimize(collection);
  return embedMs / 1000;
}
