// The producer's main job, as read -> plan -> apply: read the source in groups and look each group
// up in the store (and, for documents the run would rewrite, whether a newer run holds them), let the
// planner decide per document (ingest-plan.ts: unchanged, added, updated, repaired, stale, rejected),
// then carry the decisions out (ingest-apply.ts: queue jobs with backpressure, delete surplus chunks,
// claim, write rejects, prune) and report what happened. The 'check' pass plans only, to count.
import type { Chunk } from '../contracts/chunk.ts';
import { specForModel, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import type { PromptPair } from '../embed/prompts.ts';
import { EmbedlineError } from '../errors.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { StoredDocument } from '../store/stored-documents.ts';
import type { VectorStore } from '../store/vector-store.ts';
import type { ChunkSettings } from './chunking/chunk-settings.ts';
import { chunkDocument } from './chunking/chunker.ts';
import { documentTokenizer } from './chunking/chunk-tokenizer.ts';
import { contentHash } from './chunking/content-hash.ts';
import { IngestApplier } from './ingest-apply.ts';
import { chunksToQueue, needsVersionLookup, planDocument, planPrune, type DocumentFacts, type DocumentPlan, type IngestPass, type PlanOptions } from './ingest-plan.ts';
import type { Source } from './sources/open-source.ts';
import { formatReasons, REASONS_SHOWN, type RejectsFile } from './rejects-file.ts';
import type { SourceDocument } from './sources/source-item.ts';

export interface IngestPlan {
  collection: string;
  source: Source;
  /**
   * What the collection is built with, computed once per run (collectionSpecFor): its chunk settings
   * cut the documents, its document prompt leaves them room, and every job carries it.
   */
  spec: CollectionSpec;
  /** Delete documents the collection holds but the source no longer has. */
  prune?: boolean;
  /** Stamped on every job: workers attached to another store refuse it (EMBEDLINE_STORE_ID). */
  storeId?: string;
  /** Stamped on every job when the run has its own workers, which serve only it (EmbedJobData.run). */
  run?: string;
  /**
   * The run's write version (producer/run-version.ts), stamped on every job; its deletes spare what a
   * newer run wrote. Undefined: jobs without one and unconditioned deletes, as before versions.
   */
  version?: number;
  /** Backpressure: stop reading while this many jobs wait for a worker. */
  maxBacklogJobs?: number;
  /** 'first' (default), 'heal' or 'check' (ingest-plan.ts). */
  pass?: IngestPass;
}

export type { IngestPass };

export interface IngestDeps {
  embedder: Embedder;
  store: VectorStore;
  queue: EmbedQueue;
  rejects: RejectsFile;
  /**
   * Resolves once the collection exists with this run's spec, and refuses one built with another
   * model, pooling or chunking (COLLECTION_MISMATCH) before anything is queued. Awaited before the
   * first store look-up only, so a source that fails to open or holds nothing leaves no empty
   * collection behind. The ingest run (src/core/run-ingest.ts) owns it: one call per run, whatever
   * the number of passes.
   */
  collectionReady(): Promise<void>;
}

export interface QueuedIngest {
  spec: CollectionSpec;
  added: number;
  unchanged: number;
  updated: number;
  /** Documents stored with this content but not all their chunks (a lost job): queued again whole. */
  repaired: number;
  /** Documents a newer run already holds (other content, or not whole): this run leaves them as they are. */
  stale: number;
  deleted: number;
  rejected: number;
  /** Why --prune deleted nothing this run (the source was not read whole), when it did not. */
  pruneSkipped?: string;
  /** Documents with at least one chunk queued (a document without chunks has nothing to store). */
  documentsQueued: number;
  chunksQueued: number;
  /** Job ids queued by this run, with their chunk counts. */
  jobs: Map<string, number>;
}

export interface ProducerProgress {
  documents: number;
  rejected: number;
  chunksQueued: number;
}

/** Documents looked up in the store at once (one documentHashes call). */
const LOOKUP_GROUP = 256;
/**
 * Jobs waiting for a worker (not counting the ones workers hold) before the producer stops reading,
 * when no plan says otherwise (external workers: `--workers 0`). 200 jobs of up to 64 chunks keep a
 * fleet fed, bound what Redis holds, and let `--no-wait` return at once for any corpus of up to
 * ~12,800 chunks even before a worker runs. With in-process workers the run plans a much smaller
 * bound (workers × concurrency: core/run-ingest.ts), so the producer reads and chunks only a little
 * ahead and does not compete with them for the CPU (bench/ingest/last-run.md).
 */
const DEFAULT_MAX_BACKLOG_JOBS = 200;
/** The producer hands the event loop back this often while chunking (in-process workers share it). */
const PRODUCER_SLICE_MS = 4;

/** The spec of a run's collection: the model's, with the run's chunk settings and choices (prompts: overrides of the model's). */
export function collectionSpecFor(
  embedder: Embedder,
  choices: { settings: ChunkSettings; pooling?: Pooling; normalize?: boolean; prompts?: Partial<PromptPair> },
): CollectionSpec {
  return specForModel(embedder.info, { pooling: choices.pooling, normalize: choices.normalize, ...choices.settings, prompts: choices.prompts });
}

export async function queueIngest(plan: IngestPlan, deps: IngestDeps, onProgress?: (p: ProducerProgress) => void): Promise<QueuedIngest> {
  // Chunking is synchronous CPU work on the event loop that in-process workers use to hand the next
  // batch to an ONNX session: a long stretch of it leaves sessions idle. Bounded slices keep it short.
  let sliceStart = performance.now();
  const yieldAfterSlice = async () => {
    if (performance.now() - sliceStart < PRODUCER_SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const { collection, version, spec } = plan;
  const settings: ChunkSettings = { chunkTokens: spec.chunkTokens, overlap: spec.overlap };
  const result: QueuedIngest = { spec, added: 0, unchanged: 0, updated: 0, repaired: 0, stale: 0, deleted: 0, rejected: 0, documentsQueued: 0, chunksQueued: 0, jobs: new Map() };
  const pass = plan.pass ?? 'first';
  const options: PlanOptions = { version };
  const pruneOptions = { prune: plan.prune, pass, version };
  const seen = planPrune(pruneOptions, 0).kind === 'off' ? undefined : new Set<string>();
  // The check pass plans only: nothing is queued, deleted, claimed or written.
  const applier =
    pass === 'check'
      ? undefined
      : new IngestApplier({ collection, spec, storeId: plan.storeId, run: plan.run, version, maxBacklogJobs: plan.maxBacklogJobs ?? DEFAULT_MAX_BACKLOG_JOBS, writeRejects: pass === 'first' }, deps);
  let plannedChunks = 0;
  let documents = 0;
  const progress = (): ProducerProgress => ({ documents, rejected: result.rejected, chunksQueued: applier ? applier.chunksQueued : plannedChunks });
  const carryOut = async (decision: DocumentPlan) => {
    plannedChunks += countDecision(result, decision);
    await applier?.apply(decision);
  };

  // Every chunk is embedded after the document prompt: the chunker leaves room for it.
  const chunkTokenizer = documentTokenizer(deps.embedder.tokenizer, spec.documentPrompt ?? '');
  const factsOf = (doc: SourceDocument, stored: StoredDocument | undefined, leftovers: Set<string> | undefined): DocumentFacts => {
    const hash = contentHash(doc, settings);
    let chunks: Chunk[] | undefined;
    const chunksOf = () => (chunks ??= chunkDocument({ id: doc.id, text: doc.text, metadata: doc.metadata, contentHash: hash }, chunkTokenizer, settings));
    return { kind: 'document', id: doc.id, hash, chunks: chunksOf, stored, carriedByOlderJob: leftovers?.has(doc.id) };
  };

  // Documents that jobs of older runs still carry (leftovers, a paused worker's): found unchanged,
  // this run claims them for its version, so such a job cannot bring back another text later.
  let olderJobDocuments: Promise<Set<string>> | undefined;
  const processGroup = async (group: SourceDocument[]) => {
    await deps.collectionReady();
    if (version !== undefined && pass === 'first') olderJobDocuments ??= deps.queue.documentsOfOlderJobs(collection, version);
    const leftovers = await olderJobDocuments;
    const storedDocuments = await deps.store.documentHashes(collection, group.map((d) => d.id));
    // A document the run would rewrite waits for one look-up per group of whether a newer run holds it.
    const rewrites: DocumentFacts[] = [];
    for (const doc of group) {
      await yieldAfterSlice();
      const facts = factsOf(doc, storedDocuments.get(doc.id), leftovers);
      const decision = planDocument(facts, options);
      if (needsVersionLookup(decision, options)) rewrites.push(facts);
      else await carryOut(decision);
    }
    if (rewrites.length > 0 && version !== undefined) {
      const newer = await deps.store.newerDocuments(collection, rewrites.map((f) => f.id), version);
      for (const facts of rewrites) {
        await yieldAfterSlice();
        await carryOut(planDocument(newer.has(facts.id) && facts.stored ? { ...facts, stored: { ...facts.stored, newer: true } } : facts, options));
      }
    }
    await applier?.endGroup();
    onProgress?.(progress());
  };

  let group: SourceDocument[] = [];
  for await (const item of plan.source.read()) {
    if (item.kind === 'reject') {
      await carryOut(planDocument({ kind: 'reject', reject: item }, options));
      continue;
    }
    documents++;
    seen?.add(item.id);
    group.push(item);
    if (group.length >= LOOKUP_GROUP) {
      await processGroup(group);
      group = [];
    }
  }
  if (group.length > 0) await processGroup(group);
  if (documents === 0) {
    const rejected = result.rejected > 0 ? `: all ${result.rejected} record(s) were rejected (see ${deps.rejects.path}; commonest: ${formatReasons(deps.rejects.topReasons(REASONS_SHOWN))})` : '';
    throw new EmbedlineError('SOURCE_INVALID', `${plan.source.path} has no documents to index${rejected}; nothing was created`, {
      details: { path: plan.source.path, rejected: result.rejected },
    });
  }
  await applier?.finish();

  const prune = planPrune(pruneOptions, result.rejected);
  if (prune.kind === 'skipped') result.pruneSkipped = prune.reason;
  if (applier && seen) result.deleted = await applier.prune(prune, (id) => seen.has(id));
  result.chunksQueued = progress().chunksQueued;
  if (applier) result.jobs = applier.jobs;
  onProgress?.(progress());
  return result;
}

/** Adds a decision to the run's counts; returns the chunks it queues. */
function countDecision(result: QueuedIngest, decision: DocumentPlan): number {
  switch (decision.outcome) {
    case 'unchanged':
      result.unchanged++;
      return 0;
    case 'stale':
      result.stale++;
      return 0;
    case 'rejected':
      result.rejected++;
      return 0;
    case 'added':
      result.added++;
      break;
    case 'updated':
      result.updated++;
      break;
    case 'repaired':
      result.repaired++;
      break;
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
  // A document without chunks has nothing to store.
  const chunks = chunksToQueue(decision).length;
  if (chunks > 0) result.documentsQueued++;
  return chunks;
}
