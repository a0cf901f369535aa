// The producer's main job: read a source, skip documents the collection already holds unchanged,
// cut the rest into chunks, queue them as embedding jobs (with backpressure), delete what a
// changed or vanished document no longer has, and report what happened.
import type { Chunk } from '../contracts/chunk.ts';
import { specForModel, type CollectionSpec } from '../contracts/collection-spec.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import type { PromptPair } from '../embed/prompts.ts';
import { EmbedlineError } from '../errors.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { activeTraceparent } from '../telemetry/tracing.ts';
import type { ChunkSettings } from './chunking/chunk-settings.ts';
import { chunkDocument } from './chunking/chunker.ts';
import { documentTokenizer } from './chunking/chunk-tokenizer.ts';
import { contentHash, splitChunkSetHash } from './chunking/content-hash.ts';
import { JobBuilder } from './job-builder.ts';
import type { Source } from './sources/open-source.ts';
import { formatReasons, REASONS_SHOWN, type RejectsFile } from './rejects-file.ts';
import type { SourceDocument } from './sources/source-item.ts';

export interface IngestPlan {
  collection: string;
  source: Source;
  settings: ChunkSettings;
  pooling?: Pooling;
  normalize?: boolean;
  /** Overrides of the model's query and document prompts (src/embed/prompts.ts). */
  prompts?: Partial<PromptPair>;
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
  /**
   * 'first' (default) does everything; 'heal' queues what the store lacks without writing rejects or
   * pruning again; 'check' only counts what would be queued and changes nothing.
   */
  pass?: IngestPass;
}

export type IngestPass = 'first' | 'heal' | 'check';

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

export function collectionSpecFor(embedder: Embedder, plan: Pick<IngestPlan, 'pooling' | 'normalize' | 'settings' | 'prompts'>): CollectionSpec {
  return specForModel(embedder.info, { pooling: plan.pooling, normalize: plan.normalize, ...plan.settings, prompts: plan.prompts });
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
  const spec = collectionSpecFor(deps.embedder, plan);
  const result: QueuedIngest = { spec, added: 0, unchanged: 0, updated: 0, repaired: 0, deleted: 0, rejected: 0, documentsQueued: 0, chunksQueued: 0, jobs: new Map() };
  const pass = plan.pass ?? 'first';
  const seen = plan.prune && pass === 'first' ? new Set<string>() : undefined;
  const builder = new JobBuilder();
  const maxBacklog = plan.maxBacklogJobs ?? DEFAULT_MAX_BACKLOG_JOBS;
  let documents = 0;

  const queueJob = async (chunks: Chunk[] | undefined) => {
    if (!chunks) return;
    if (pass === 'check') {
      result.chunksQueued += chunks.length;
      return;
    }
    await deps.queue.waitForBacklogBelow(maxBacklog);
    const id = await deps.queue.add({ collection: plan.collection, spec, chunks, store: plan.storeId, run: plan.run, version: plan.version, traceparent: activeTraceparent() });
    result.jobs.set(id, (result.jobs.get(id) ?? 0) + chunks.length);
    result.chunksQueued += chunks.length;
  };

  // Every chunk is embedded after the document prompt: the chunker leaves room for it.
  const chunkTokenizer = documentTokenizer(deps.embedder.tokenizer, spec.documentPrompt ?? '');
  const chunksOf = (doc: SourceDocument, hash: string) =>
    chunkDocument({ id: doc.id, text: doc.text, metadata: doc.metadata, contentHash: hash }, chunkTokenizer, plan.settings);

  // Documents that jobs of older runs still carry (leftovers, a paused worker's): found unchanged,
  // this run claims them for its version, so such a job cannot bring back another text later.
  let olderJobDocuments: Promise<Set<string>> | undefined;
  const processGroup = async (group: SourceDocument[]) => {
    await deps.collectionReady();
    if (plan.version !== undefined && pass === 'first') olderJobDocuments ??= deps.queue.documentsOfOlderJobs(plan.collection, plan.version);
    const leftovers = await olderJobDocuments;
    const claims = new Map<string, string>();
    const storedDocuments = await deps.store.documentHashes(plan.collection, group.map((d) => d.id));
    for (const doc of group) {
      await yieldAfterSlice();
      const hash = contentHash(doc, plan.settings);
      const stored = storedDocuments.get(doc.id);
      const storedHash = stored && splitChunkSetHash(stored.contentHash);
      let chunks: Chunk[] | undefined;
      if (stored && storedHash?.hash === hash) {
        // Current only when every chunk is stored; an older collection did not record the count,
        // so the document is chunked again (no embedding) to learn it.
        const expected = storedHash.chunkCount ?? (chunks = chunksOf(doc, hash)).length;
        if (stored.chunks === expected) {
          result.unchanged++;
          if (leftovers?.has(doc.id)) claims.set(doc.id, stored.contentHash);
          continue;
        }
        result.repaired++;
      } else if (stored) result.updated++;
      else result.added++;
      chunks ??= chunksOf(doc, hash);
      if (chunks.length > 0) result.documentsQueued++;
      // The new chunks overwrite indices below chunks.length (same point ids); the rest are surplus.
      // A versioned run leaves them to the store, which drops an older version's chunks once the new
      // version is written (write-version.ts): until then the old version stays whole, and a run that
      // is interrupted after queueing changes nothing. Without chunks, nothing will be written: delete now.
      const surplusNow = plan.version === undefined || chunks.length === 0;
      if (stored && pass !== 'check' && surplusNow) await deps.store.deleteDocument(plan.collection, doc.id, chunks.length, plan.version);
      for (const chunk of chunks) await queueJob(builder.add(chunk));
    }
    if (claims.size > 0 && plan.version !== undefined) await deps.store.claimDocuments(plan.collection, claims, plan.version);
    onProgress?.({ documents, rejected: result.rejected, chunksQueued: result.chunksQueued });
  };

  let group: SourceDocument[] = [];
  for await (const item of plan.source.read()) {
    if (item.kind === 'reject') {
      result.rejected++;
      if (pass === 'first') await deps.rejects.write(item);
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
  await queueJob(builder.take());

  // Only a source read whole tells what it no longer has: a rejected record (a stray quote can
  // swallow the rest of a CSV; an unreadable subfolder hides its files) may hold any stored id.
  if (seen && result.rejected > 0) result.pruneSkipped = pruneSkippedReason(result.rejected);
  else if (seen) {
    const vanished: string[] = [];
    for await (const id of deps.store.documentIds(plan.collection)) if (!seen.has(id)) vanished.push(id);
    for (const id of vanished) await deps.store.deleteDocument(plan.collection, id, 0, plan.version);
    result.deleted = vanished.length;
  }
  onProgress?.({ documents, rejected: result.rejected, chunksQueued: result.chunksQueued });
  return result;
}

function pruneSkippedReason(rejected: number): string {
  return `--prune (prune) deleted nothing: ${rejected} record(s) were rejected or unreadable this run, so the source was not read whole; fix them (see the rejects file) and run again to prune`;
}
