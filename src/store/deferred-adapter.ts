// A StoreAdapter whose real adapter loads on its first operation. A backend's entry in the table
// (store/backends.ts) opens its store synchronously, but its adapter's module pulls in the store's
// client (LanceDB and Arrow, or the Qdrant client): a command that never touches a store of that
// kind, or `--help`, must not pay for loading it. Every operation waits for the one load, then
// forwards; close() before any operation has nothing to close and loads nothing.
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { ScoreFloor } from '../contracts/score-floor.ts';
import type { ChunkHash } from './stored-documents.ts';
import type { FilterReader, RecordedCollection, ScannedPoint, StoreAdapter, StoredCollectionInfo } from './store-adapter.ts';
import type { StoredPoint, TextQuery } from './vector-store.ts';

export class DeferredAdapter<C extends RecordedCollection = RecordedCollection> implements StoreAdapter<C> {
  private loading: Promise<StoreAdapter<C>> | undefined;

  constructor(
    readonly kind: string,
    private readonly load: () => Promise<StoreAdapter<C>>,
  ) {}

  private adapter(): Promise<StoreAdapter<C>> {
    return (this.loading ??= this.load());
  }

  async physicalNames(): Promise<string[]> {
    return (await this.adapter()).physicalNames();
  }

  async aliases(): Promise<Map<string, string>> {
    return (await this.adapter()).aliases();
  }

  async setAlias(alias: string, physical: string | undefined): Promise<void> {
    return (await this.adapter()).setAlias(alias, physical);
  }

  async read(name: string): Promise<C | undefined> {
    return (await this.adapter()).read(name);
  }

  async create(physical: string, spec: CollectionSpec): Promise<boolean> {
    return (await this.adapter()).create(physical, spec);
  }

  async settle(name: string, collection: C): Promise<void> {
    return (await this.adapter()).settle?.(name, collection);
  }

  async recordScoreFloor(physical: string, floor: ScoreFloor): Promise<void> {
    return (await this.adapter()).recordScoreFloor(physical, floor);
  }

  async drop(physical: string): Promise<void> {
    return (await this.adapter()).drop(physical);
  }

  async describe(physical: string): Promise<StoredCollectionInfo | undefined> {
    return (await this.adapter()).describe(physical);
  }

  async upsert(name: string, points: StoredPoint[], collection: C): Promise<void> {
    return (await this.adapter()).upsert(name, points, collection);
  }

  async deleteDocument(name: string, documentId: string, fromChunk: number, upToVersion?: number): Promise<void> {
    return (await this.adapter()).deleteDocument(name, documentId, fromChunk, upToVersion);
  }

  async claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void> {
    return (await this.adapter()).claimDocuments(name, documents, version);
  }

  async highestVersion(name: string): Promise<number> {
    return (await this.adapter()).highestVersion(name);
  }

  async *chunkHashes(name: string, documentIds: readonly string[]): AsyncIterable<ChunkHash> {
    yield* (await this.adapter()).chunkHashes(name, documentIds);
  }

  async *documentIds(name: string): AsyncIterable<string> {
    yield* (await this.adapter()).documentIds(name);
  }

  async *scan(name: string, withVectors: boolean): AsyncIterable<ScannedPoint> {
    yield* (await this.adapter()).scan(name, withVectors);
  }

  async search(name: string, vectors: readonly Float32Array[], k: number, filter?: FilterReader, scoreThreshold?: number) {
    return (await this.adapter()).search(name, vectors, k, filter, scoreThreshold);
  }

  async searchText(name: string, queries: readonly TextQuery[], k: number, filter?: FilterReader) {
    return (await this.adapter()).searchText(name, queries, k, filter);
  }

  async count(name: string, filter?: FilterReader): Promise<number> {
    return (await this.adapter()).count(name, filter);
  }

  async optimize(name: string): Promise<void> {
    return (await this.adapter()).optimize(name);
  }

  async beginBulkLoad(name: string): Promise<void> {
    return (await this.adapter()).beginBulkLoad?.(name);
  }

  async endBulkLoad(name: string): Promise<void> {
    return (await this.adapter()).endBulkLoad?.(name);
  }

  async close(): Promise<void> {
    if (this.loading) await (await this.loading).close();
  }
}
