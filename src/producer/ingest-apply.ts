// Carries out the planner's decisions (ingest-plan.ts) for the first and heal passes: queues the
// chunks of added, updated and repaired documents as embedding jobs (with backpressure), deletes the
// surplus chunks a plan names, claims unchanged documents for the run's version, writes rejects, and
// prunes the documents the source no longer has. Every decision the store or Redis sees is made by
// the planner; the verification pass plans only and never gets here.
import type { Chunk } from '../contracts/chunk.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { activeTraceparent } from '../telemetry/tracing.ts';
import type { DocumentPlan, PrunePlan } from './ingest-plan.ts';
import { JobBuilder } from './job-builder.ts';
import type { RejectsFile } from './rejects-file.ts';

/** Where and how the run's jobs go: stamped on every job (see IngestPlan in ingest.ts). */
export interface ApplyTarget {
  collection: string;
  spec: CollectionSpec;
  storeId?: string;
  run?: string;
  version?: number;
  /** Backpressure: wait while this many jobs wait for a worker before queueing another. */
  maxBacklogJobs: number;
  /** The first pass writes rejects; a heal pass reads the same records again and does not. */
  writeRejects: boolean;
}

export interface ApplyDeps {
  store: VectorStore;
  queue: EmbedQueue;
  rejects: RejectsFile;
}

export class IngestApplier {
  private readonly builder = new JobBuilder();
  /** Unchanged documents to claim for the run's version, by id: the contentHash their chunks carry. */
  private claims = new Map<string, string>();
  /** Job ids queued, with their chunk counts. */
  readonly jobs = new Map<string, number>();
  chunksQueued = 0;

  constructor(
    private readonly target: ApplyTarget,
    private readonly deps: ApplyDeps,
  ) {}

  async apply(plan: DocumentPlan): Promise<void> {
    switch (plan.outcome) {
      case 'unchanged':
        if (plan.claim !== undefined) this.claims.set(plan.documentId, plan.claim);
        return;
      case 'stale':
        return;
      case 'rejected':
        if (this.target.writeRejects) await this.deps.rejects.write(plan.reject);
        return;
      case 'updated':
      case 'repaired':
      case 'added':
        if (plan.outcome !== 'added' && plan.surplus) {
          await this.deps.store.deleteDocument(this.target.collection, plan.documentId, plan.surplus.fromChunk, plan.surplus.upToVersion);
        }
        for (const chunk of plan.chunks) await this.queueJob(this.builder.add(chunk));
        return;
      default: {
        const unreachable: never = plan;
        return unreachable;
      }
    }
  }

  /** After a group of documents: the claims its unchanged documents made, in one store call. */
  async endGroup(): Promise<void> {
    const { version } = this.target;
    if (this.claims.size === 0 || version === undefined) return;
    const claims = this.claims;
    this.claims = new Map();
    await this.deps.store.claimDocuments(this.target.collection, claims, version);
  }

  /** Queues the partly filled last job. */
  async finish(): Promise<void> {
    await this.queueJob(this.builder.take());
  }

  /** Deletes the stored documents `inSource` does not know; returns how many. */
  async prune(plan: PrunePlan, inSource: (documentId: string) => boolean): Promise<number> {
    switch (plan.kind) {
      case 'off':
      case 'skipped':
        return 0;
      case 'vanished': {
        // Listed whole first: deleting while the store lists its ids could skip some.
        const vanished: string[] = [];
        for await (const id of this.deps.store.documentIds(this.target.collection)) if (!inSource(id)) vanished.push(id);
        for (const id of vanished) await this.deps.store.deleteDocument(this.target.collection, id, 0, plan.upToVersion);
        return vanished.length;
      }
      default: {
        const unreachable: never = plan;
        return unreachable;
      }
    }
  }

  private async queueJob(chunks: Chunk[] | undefined): Promise<void> {
    if (!chunks) return;
    const { queue } = this.deps;
    const { collection, spec, storeId: store, run, version } = this.target;
    await queue.waitForBacklogBelow(this.target.maxBacklogJobs);
    const id = await queue.add({ collection, spec, chunks, store, run, version, traceparent: activeTraceparent() });
    this.jobs.set(id, (this.jobs.get(id) ?? 0) + chunks.length);
    this.chunksQueued += chunks.length;
  }
}
