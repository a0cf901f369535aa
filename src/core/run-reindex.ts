// The reindex run, shared by `embedline reindex` and the library: re-embedding without downtime.
// Build the next version of a collection from its stored chunk texts with another model or pooling,
// then move the collection's name to it in one atomic step. Searches read the name, so they answer
// from the old version until the switch, from the new after. Callers map flags or options to a plan
// and print or return the result.
import type { Chunk } from '../contracts/chunk.ts';
import { specForModel, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { EmbedlineError } from '../errors.ts';
import { pointId } from '../store/point-id.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { loadChosenModel, type EmbedderFactory, type ModelChoice } from './model-choice.ts';

export interface ReindexRunPlan {
  collection: string;
  /** The model to re-embed with (the collection's chunk settings carry over). */
  model: ModelChoice;
  pooling?: Pooling;
  normalize?: boolean;
  /** How long the previous version stays (readable by its physical name) before it is dropped. */
  graceMs: number;
}

export interface ReindexResult {
  collection: string;
  previous?: string;
  version: string;
  chunks: number;
  spec: CollectionSpec;
  droppedPrevious: boolean;
}

export interface ReindexRunDeps {
  store: VectorStore;
  /** Default: load the plan's model folder. */
  loadEmbedder?: EmbedderFactory;
}

/** Chunks embedded and written per step. */
const STEP = 256;

export async function runReindex(plan: ReindexRunPlan, deps: ReindexRunDeps, onProgress?: (done: number, total: number) => void): Promise<ReindexResult> {
  const embedder = await (deps.loadEmbedder ?? loadChosenModel)(plan.model);
  return reindexCollection(deps.store, embedder, plan, onProgress);
}

async function reindexCollection(
  store: VectorStore,
  embedder: Embedder,
  plan: Omit<ReindexRunPlan, 'model'>,
  onProgress?: (done: number, total: number) => void,
): Promise<ReindexResult> {
  const current = await store.describe(plan.collection);
  if (!current) throw new EmbedlineError('COLLECTION_MISSING', `collection "${plan.collection}" does not exist`);
  // The stored chunks are reused as they are, so the chunk settings carry over.
  const spec = specForModel(embedder.info, { pooling: plan.pooling, normalize: plan.normalize, chunkTokens: current.spec.chunkTokens, overlap: current.spec.overlap });
  const version = await store.createVersion(plan.collection, spec);
  let done = 0;
  try {
    let batch: Chunk[] = [];
    const flush = async () => {
      // No truncation: a chunk that does not fit the new model is an error naming it, never lost text.
      const { vectors } = await embedder.embed(batch.map((c) => c.text), { pooling: spec.pooling, normalize: spec.normalize }).catch((err: unknown) => {
        throw chunkError(err, batch);
      });
      await store.upsert(version, batch.map((chunk, i) => ({ id: pointId(plan.collection, chunk.documentId, chunk.chunkIndex), vector: vectors[i], chunk })));
      done += batch.length;
      batch = [];
      onProgress?.(done, current.points);
    };
    for await (const chunk of store.chunks(plan.collection)) {
      batch.push(chunk);
      if (batch.length >= STEP) await flush();
    }
    if (batch.length > 0) await flush();
    await store.optimize(version);
  } catch (err) {
    // A half-built version is useless; the live one was never touched.
    await store.dropCollection(version).catch(() => undefined);
    throw err;
  }
  const previous = await store.activateVersion(plan.collection, version);
  let droppedPrevious = false;
  if (previous && previous !== version) {
    await new Promise((resolve) => setTimeout(resolve, plan.graceMs));
    await store.dropCollection(previous);
    droppedPrevious = true;
  }
  return { collection: plan.collection, previous, version, chunks: done, spec, droppedPrevious };
}

function chunkError(err: unknown, batch: readonly Chunk[]): unknown {
  if (!(err instanceof EmbedlineError) || typeof err.details?.index !== 'number') return err;
  const chunk = batch[err.details.index];
  return new EmbedlineError(err.code, `chunk ${chunk.chunkIndex} of document "${chunk.documentId}": ${err.message}; re-ingest the source to re-chunk it for this model`, {
    details: { ...err.details, documentId: chunk.documentId, chunkIndex: chunk.chunkIndex },
  });
}
