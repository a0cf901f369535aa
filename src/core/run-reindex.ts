// The reindex run, shared by `embedline reindex` and the library: re-embedding without downtime.
// Build the next version of a collection from its stored chunk texts with another model or pooling,
// then move the collection's name to it in one atomic step. Searches read the name, so they answer
// from the old version until the switch, from the new after. Callers map flags or options to a plan
// and print or return the result.
//
// Writes to the collection while it is copied would land in the old version only and vanish at the
// switch, so the run holds the collection exclusively (queue/collection-lease.ts): a reindex is
// refused while an ingest of it runs, an ingest is refused while the reindex runs, workers set its
// jobs aside until the switch, and the copy starts only once the writes in progress have ended.
// Before the switch the new version must hold as many points and documents as the old one.
import { randomUUID } from 'node:crypto';
import type { Chunk } from '../contracts/chunk.ts';
import { specForModel, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Pooling } from '../embed/pooling.ts';
import type { PromptPair } from '../embed/prompts.ts';
import { EmbedlineError } from '../errors.ts';
import { claimCollection, type HeldLease, type LeasePlace } from '../queue/collection-lease.ts';
import type { StoredPoint, VectorStore } from '../store/vector-store.ts';
import { versionOf } from '../store/write-version.ts';
import { embedPoints } from '../worker/embed-points.ts';
import { loadChosenModel, type EmbedderFactory, type ModelChoice } from './model-choice.ts';

export interface ReindexRunPlan {
  collection: string;
  /** The model to re-embed with (the collection's chunk settings carry over). */
  model: ModelChoice;
  pooling?: Pooling;
  normalize?: boolean;
  /** Overrides of the new model's query and document prompts ("" for none); undefined: its own. */
  prompts?: Partial<PromptPair>;
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
  /** Where the collection is held exclusively while it is re-embedded. */
  lease: LeasePlace;
  /** Default: load the plan's model folder. */
  loadEmbedder?: EmbedderFactory;
}

/** Chunks embedded and written per step. */
const STEP = 256;

export async function reindexCollection(plan: ReindexRunPlan, deps: ReindexRunDeps, onProgress?: (done: number, total: number) => void): Promise<ReindexResult> {
  const { store } = deps;
  const hold = await claimCollection(deps.lease, plan.collection, 'exclusive', randomUUID(), 'a reindex');
  let switched: Omit<ReindexResult, 'droppedPrevious'>;
  try {
    const embedder = await (deps.loadEmbedder ?? loadChosenModel)(plan.model);
    const current = await store.describe(plan.collection);
    if (!current) throw new EmbedlineError('COLLECTION_MISSING', `collection "${plan.collection}" does not exist`);
    // The stored chunks are reused as they are, so the chunk settings carry over.
    // The new model's prompts (or the plan's): a chunk that no longer fits with its prompt is refused by name below.
    const spec = specForModel(embedder.info, { pooling: plan.pooling, normalize: plan.normalize, chunkTokens: current.spec.chunkTokens, overlap: current.spec.overlap, prompts: plan.prompts });
    const version = await store.createVersion(plan.collection, spec);
    let done = 0;
    try {
      let batch: StoredPoint[] = [];
      const flush = async () => {
        // No truncation: a chunk that does not fit the new model is an error naming it, never lost text.
        // Same ids, and each point keeps the write version it was stored with.
        const chunks = batch.map((p) => p.chunk);
        const points = await embedPoints(embedder, spec, plan.collection, chunks, batch.map(versionOf)).catch((err: unknown) => {
          throw chunkError(err, chunks);
        });
        await store.upsert(version, points);
        done += batch.length;
        batch = [];
        onProgress?.(done, current.points);
      };
      for await (const point of store.points(plan.collection)) {
        batch.push(point);
        if (batch.length >= STEP) await flush();
      }
      if (batch.length > 0) await flush();
      await store.optimize(version);
      await assertCompleteCopy(store, plan.collection, version, hold);
    } catch (err) {
      // A half-built version is useless; the live one was never touched.
      await store.dropCollection(version).catch(() => undefined);
      throw err;
    }
    const previous = await store.activateVersion(plan.collection, version);
    switched = { collection: plan.collection, previous, version, chunks: done, spec };
  } finally {
    await hold.release();
  }
  const { previous, version } = switched;
  let droppedPrevious = false;
  if (previous && previous !== version) {
    await new Promise((resolve) => setTimeout(resolve, plan.graceMs));
    await store.dropCollection(previous);
    droppedPrevious = true;
  }
  return { ...switched, droppedPrevious };
}

/** The new version holds what the live one holds, and nobody else took the collection meanwhile. */
async function assertCompleteCopy(store: VectorStore, collection: string, version: string, hold: HeldLease): Promise<void> {
  if (hold.lost) throw new EmbedlineError('COLLECTION_BUSY', `the reindex of "${collection}" lost its claim on it: ${hold.lost}; nothing was switched: run it again`, { retryable: true });
  const [live, copy] = [await store.describe(collection), await store.describe(version)];
  if (live?.points !== copy?.points || live?.documents !== copy?.documents) {
    throw new EmbedlineError(
      'STORE_REJECTED',
      `"${collection}" changed while it was re-embedded (${live?.points ?? 0} points in ${live?.documents ?? 0} documents now, ${copy?.points ?? 0} in ${copy?.documents ?? 0} copied): nothing was switched; run the reindex again`,
      { retryable: true },
    );
  }
}

function chunkError(err: unknown, batch: readonly Chunk[]): unknown {
  if (!(err instanceof EmbedlineError) || typeof err.details?.index !== 'number') return err;
  const chunk = batch[err.details.index];
  return new EmbedlineError(err.code, `chunk ${chunk.chunkIndex} of document "${chunk.documentId}": ${err.message}; re-ingest the source to re-chunk it for this model`, {
    details: { ...err.details, documentId: chunk.documentId, chunkIndex: chunk.chunkIndex },
  });
}
