// The producer's decisions, as a function of what the source and the store hold and nothing else:
// per record read, whether the collection holds the document whole (unchanged), not at all (added),
// with other content (updated), with only some of its chunks or with an older version's chunks beside
// them (repaired), or at a version newer than the run's (stale: a later run wrote it, so this run's
// write would be refused); bad rows are rejected.
// Also whether --prune may delete what the source no longer has. No Redis, no store, no I/O:
// ingest-apply.ts carries the decisions out, the verification pass only counts them, and the rules of
// docs/versions.md (a write never replaces newer content) are kept here.
import type { Chunk } from '../contracts/chunk.ts';
import { splitChunkSetHash } from './chunking/content-hash.ts';
import type { SourceReject } from './sources/source-item.ts';

/**
 * 'first' does everything; 'heal' queues what the store lacks without writing rejects or pruning
 * again; 'check' only plans, to count what the store lacks, and changes nothing.
 */
export type IngestPass = 'first' | 'heal' | 'check';

/** What the store holds of one document (store/stored-documents.ts), and whether it is newer than the run. */
export interface StoredState {
  /** Chunk 0's contentHash: `<sha256>.<chunk count>`, or the bare sha256 in collections from before counts. */
  contentHash: string;
  /** Stored chunks that carry that same hash (chunk 0 included). */
  chunks: number;
  /** Stored chunks with another hash: an older version's, left beside this one; undefined counts as 0. */
  otherChunks?: number;
  /**
   * True when the store holds the document at a write version newer than the run's. Looked up only
   * for a document the run would write (needsVersionLookup); undefined counts as not newer.
   */
  newer?: boolean;
}

/** One document read from the source, with what the store and older runs' jobs hold of it. */
export interface DocumentFacts {
  kind: 'document';
  id: string;
  /** contentHash() of the source document (chunking/content-hash.ts). */
  hash: string;
  /** The document's chunks: called at most once per plan, and only when needed (chunking costs a tokenizer pass). */
  chunks: () => readonly Chunk[];
  /** Undefined: the store holds no chunk 0 of it. */
  stored?: StoredState;
  /** A job of an older run still carries this document (waiting, delayed, active or failed). */
  carriedByOlderJob?: boolean;
}

export interface RejectFacts {
  kind: 'reject';
  reject: SourceReject;
}

export type PlanInput = DocumentFacts | RejectFacts;

export interface PlanOptions {
  /** The run's write version (run-version.ts); undefined: a run without versions, as before them. */
  version?: number;
}

/** Chunks of a document to delete: chunkIndex >= fromChunk, only those stored at upToVersion or older. */
export interface ChunkDelete {
  fromChunk: number;
  upToVersion?: number;
}

export type DocumentPlan =
  /** Held whole with this content. `claim`: give its chunks that carry this hash the run's version. */
  | { outcome: 'unchanged'; documentId: string; claim?: string }
  | { outcome: 'added'; documentId: string; chunks: readonly Chunk[] }
  /** Queued whole; `surplus`: chunks to delete now (else the store drops them once the new version lands). */
  | { outcome: 'updated' | 'repaired'; documentId: string; chunks: readonly Chunk[]; surplus?: ChunkDelete }
  /** The store holds a newer version: nothing is queued, deleted or claimed. */
  | { outcome: 'stale'; documentId: string }
  | { outcome: 'rejected'; reject: SourceReject };

export type PlanOutcome = DocumentPlan['outcome'];

export function planDocument(input: PlanInput, options: PlanOptions): DocumentPlan {
  if (input.kind === 'reject') return { outcome: 'rejected', reject: input.reject };
  const { id: documentId, stored } = input;
  let chunked: readonly Chunk[] | undefined;
  const chunksOf = () => (chunked ??= input.chunks());
  if (!stored) return { outcome: 'added', documentId, chunks: chunksOf() };
  const storedHash = splitChunkSetHash(stored.contentHash);
  const sameContent = storedHash.hash === input.hash;
  // Current only when every chunk is stored and nothing else is; an older collection did not record
  // the count, so the document is chunked again (no embedding) to learn it. Chunks of another hash
  // beside a whole set are an older version's that a writer killed between its write and its clean-up
  // left: writing the document again is what removes them (the store's rule, write-version.ts).
  const whole = stored.chunks === (storedHash.chunkCount ?? chunksOf().length) && (stored.otherChunks ?? 0) === 0;
  if (sameContent && whole) {
    // Found unchanged, the run does not write it: a leftover job of an older run with other text
    // could then replace it later, unless the run claims it for its own version.
    const claim = options.version !== undefined && input.carriedByOlderJob === true;
    return claim ? { outcome: 'unchanged', documentId, claim: stored.contentHash } : { outcome: 'unchanged', documentId };
  }
  // A later run wrote it: this run's write would be refused (store/write-version.ts), and its old
  // version must neither shorten nor replace the newer one.
  if (options.version !== undefined && stored.newer === true) return { outcome: 'stale', documentId };
  const chunks = chunksOf();
  const outcome = sameContent ? 'repaired' : 'updated';
  // The new chunks overwrite indices below chunks.length (same point ids); the rest are surplus. A
  // versioned run leaves them to the store, which drops an older version's chunks once the new one
  // is written: until then the old version stays whole, and a run interrupted after queueing changes
  // nothing. Without chunks nothing will be written, so they go now (only up to the run's version).
  if (options.version !== undefined && chunks.length > 0) return { outcome, documentId, chunks };
  return { outcome, documentId, chunks, surplus: { fromChunk: chunks.length, upToVersion: options.version } };
}

/**
 * Whether the plan would write a document the store already holds, so that whether the store holds
 * it at a newer version decides it (plan it again with `stored.newer` known). Runs without a
 * version write regardless.
 */
export function needsVersionLookup(plan: DocumentPlan, options: PlanOptions): boolean {
  switch (plan.outcome) {
    case 'updated':
    case 'repaired':
      return options.version !== undefined;
    case 'unchanged':
    case 'added':
    case 'stale':
    case 'rejected':
      return false;
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
}

/** The chunks a plan queues (none for a document that has nothing to write). */
export function chunksToQueue(plan: DocumentPlan): readonly Chunk[] {
  switch (plan.outcome) {
    case 'added':
    case 'updated':
    case 'repaired':
      return plan.chunks;
    case 'unchanged':
    case 'stale':
    case 'rejected':
      return [];
    default: {
      const unreachable: never = plan;
      return unreachable;
    }
  }
}

/** --prune: off, skipped (with the reason the summary gives), or delete the documents the source no longer has. */
export type PrunePlan = { kind: 'off' } | { kind: 'skipped'; reason: string } | { kind: 'vanished'; upToVersion?: number };

export function planPrune(options: { prune?: boolean; pass: IngestPass; version?: number }, rejected: number): PrunePlan {
  // The first pass prunes; heal and check passes read the same source again and have nothing to add.
  if (!options.prune || options.pass !== 'first') return { kind: 'off' };
  // Only a source read whole tells what it no longer has: a rejected record (a stray quote can
  // swallow the rest of a CSV; an unreadable subfolder hides its files) may hold any stored id.
  if (rejected > 0) return { kind: 'skipped', reason: pruneSkippedReason(rejected) };
  // A run's deletes spare what a newer run wrote.
  return { kind: 'vanished', upToVersion: options.version };
}

function pruneSkippedReason(rejected: number): string {
  return `--prune (prune) deleted nothing: ${rejected} record(s) were rejected or unreadable this run, so the source was not read whole; fix them (see the rejects file) and run again to prune`;
}
