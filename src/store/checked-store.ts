// The one VectorStore implementation: every rule the stores share, over any backend's StoreAdapter
// (store-adapter.ts). Here, and only here: the collection name rule, spec validation and the
// COLLECTION_MISMATCH comparison, versioned names behind an alias (create v1, createVersion,
// activateVersion, drop, the listing that hides versions), the k / fromChunk / dims checks, one
// point per id per write, filters read through the recorded field types, the hash tally, and the
// write-version rule (write-version.ts): a document keeps the points of its newest version only.
import type { Chunk } from '../contracts/chunk.ts';
import { checkCollectionName, checkPhysicalCollectionName } from '../contracts/collection-name.ts';
import { specDifferences, specMismatchMessage, type CollectionSpec } from '../contracts/collection-spec.ts';
import { parseFilter, type Filter } from '../contracts/filter.ts';
import type { ScoreFloor } from '../contracts/score-floor.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { mapBounded } from './bounded-parallel.ts';
import { coerceFilter } from './field-types.ts';
import type { FilterReader, RecordedCollection, StoreAdapter } from './store-adapter.ts';
import { StoredDocumentTally, type StoredDocument } from './stored-documents.ts';
import { checkVectorDims } from './vector-dims.ts';
import type { CollectionInfo, StoredPoint, TextQuery, VectorStore, WriteOutcome } from './vector-store.ts';
import { isWriteVersion, newestVersions, storedVersions, versionOf, type StoredVersions } from './write-version.ts';
import { baseName, nextVersionName, versionName, versionsAmong } from './versioned-name.ts';

/** Collections described at once by listCollections (each is a request or two on a server store). */
const DESCRIBE_IN_FLIGHT = 4;

export class CheckedStore<C extends RecordedCollection = RecordedCollection> implements VectorStore {
  readonly kind: string;
  private closed = false;

  constructor(private readonly backend: StoreAdapter<C>) {
    this.kind = backend.kind;
  }

  /**
   * The backend, for every operation; after close() each one is refused with one line instead of
   * running on a closed connection (LanceDB quietly opened a new one).
   */
  protected get adapter(): StoreAdapter<C> {
    if (this.closed) throw new EmbedlineError('STORE_UNAVAILABLE', `this ${this.kind} store was closed; open another (openStore()) to use the store again`);
    return this.backend;
  }

  // -- collections and versions -------------------------------------------------------------

  /**
   * A new collection is created as version 1 behind its alias; an existing one (alias, or a
   * collection of that name made before versioning) is checked against the spec.
   */
  async ensureCollection(name: string, spec: CollectionSpec): Promise<void> {
    checkCollectionName(name);
    checkSpec(spec);
    const existing = await this.adapter.read(name);
    if (existing) {
      assertSameSpec(name, existing.spec, spec);
      await this.adapter.settle?.(name, existing);
      return;
    }
    const first = versionName(name, 1);
    // Processes racing to create it: one create wins, the others find the winner's and check its spec.
    const created = await this.adapter.create(first, spec);
    await this.settleVersion(name, first, spec);
    if (created || (await this.aliasTarget(name)) === undefined) await this.adapter.setAlias(name, first);
  }

  async versions(name: string): Promise<string[]> {
    checkCollectionName(name);
    return versionsAmong(name, await this.adapter.physicalNames());
  }

  async createVersion(name: string, spec: CollectionSpec): Promise<string> {
    checkCollectionName(name);
    checkSpec(spec);
    const physical = nextVersionName(name, await this.adapter.physicalNames());
    if (!(await this.adapter.create(physical, spec))) {
      throw new EmbedlineError('STORE_REJECTED', `version "${physical}" of "${name}" was created by someone else at the same moment; run again`, {
        details: { collection: name, version: physical },
      });
    }
    await this.settleVersion(name, physical, spec);
    return physical;
  }

  /** Moves the name to `physical` in one step; returns the version it pointed at before. */
  async activateVersion(name: string, physical: string): Promise<string | undefined> {
    checkCollectionName(name);
    await this.require(physical); // refuse to point at a missing or foreign collection
    const previous = await this.aliasTarget(name);
    await this.adapter.setAlias(name, physical);
    return previous;
  }

  async dropCollection(name: string): Promise<void> {
    checkPhysicalCollectionName(name);
    if ((await this.aliasTarget(name)) === undefined) return this.adapter.drop(name);
    // The name first, so readers get "missing" rather than a half-dropped collection.
    await this.adapter.setAlias(name, undefined);
    for (const version of await this.versions(name)) await this.adapter.drop(version);
  }

  async recordScoreFloor(name: string, floor: ScoreFloor): Promise<void> {
    checkPhysicalCollectionName(name);
    const physical = (await this.aliasTarget(name)) ?? name;
    await this.require(physical);
    await this.adapter.recordScoreFloor(physical, floor);
  }

  async describe(name: string): Promise<CollectionInfo | undefined> {
    checkPhysicalCollectionName(name);
    return this.describePhysical(name, (await this.aliasTarget(name)) ?? name);
  }

  /** Collections by name (aliases), plus physical collections that are nobody's version. */
  async listCollections(): Promise<CollectionInfo[]> {
    const [physicalNames, aliases] = await Promise.all([this.adapter.physicalNames(), this.adapter.aliases()]);
    const versionOfAName = (physical: string) => {
      const base = baseName(physical);
      return aliases.has(physical) || (base !== undefined && aliases.has(base));
    };
    const shown = [...aliases, ...physicalNames.filter((p) => !versionOfAName(p)).map((p): [string, string] => [p, p])];
    shown.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const infos = await mapBounded(shown, DESCRIBE_IN_FLIGHT, async ([name, physical]) => {
      try {
        return await this.describePhysical(name, physical);
      } catch (err) {
        // Another tool's table or collection is not ours to list; anything else is real.
        if (isEmbedlineError(err) && err.code === 'COLLECTION_MISMATCH') return undefined;
        throw err;
      }
    });
    return infos.filter((info): info is CollectionInfo => info !== undefined);
  }

  async ping(): Promise<void> {
    await this.adapter.physicalNames();
  }

  // -- points -------------------------------------------------------------------------------

  /**
   * Writes only the points of each document's newest version (in the store or in this batch), with
   * the backend's conditional write, which also refuses a newer point that landed since the look-up.
   * Then, as the look-up and the write are two steps, it looks again: whatever an older version still
   * has beside the newest (chunks a stale write inserted next to a newer one, or that a newer write
   * left past its own chunk count) is deleted, so no document is left mixing two versions.
   */
  async upsert(name: string, points: StoredPoint[]): Promise<WriteOutcome> {
    checkPhysicalCollectionName(name);
    if (points.length === 0) return { stored: [] };
    const collection = await this.require(name);
    for (const point of points) {
      checkVectorDims(point.vector, collection.spec.dims, name, `point ${point.id}`);
      if (!isWriteVersion(versionOf(point))) throw new EmbedlineError('BAD_REQUEST', `point ${point.id} has version ${point.version}: a version is a whole number >= 0`);
    }
    const newest = newestVersions(points, await this.storedVersions(name, documentsOf(points)));
    const current = points.filter((p) => versionOf(p) === newest.get(p.chunk.documentId));
    if (current.length > 0) {
      // Within one batch the last point for an id wins, as if upserted one by one, whatever order a
      // backend writes in (one that splits a batch into parallel requests would make it a race).
      const latestPerId = [...new Map(current.map((p) => [p.id, p])).values()];
      await this.adapter.upsert(name, latestPerId, collection);
      for (const [documentId, version] of await this.dropOlder(name, documentsOf(current))) {
        newest.set(documentId, Math.max(newest.get(documentId) ?? version, version));
      }
    }
    return { stored: points.map((p) => versionOf(p) >= (newest.get(p.chunk.documentId) ?? 0)) };
  }

  async dropOlderVersions(name: string, documentIds: readonly string[]): Promise<void> {
    checkPhysicalCollectionName(name);
    await this.dropOlder(name, [...new Set(documentIds)]);
  }

  /** Deletes a document's chunks with chunkIndex >= fromChunk (0: the whole document), up to a version if given. */
  async deleteDocument(name: string, documentId: string, fromChunk = 0, upToVersion?: number): Promise<void> {
    checkPhysicalCollectionName(name);
    if (!Number.isInteger(fromChunk) || fromChunk < 0) {
      throw new EmbedlineError('BAD_REQUEST', `fromChunk must be a non-negative integer, got ${fromChunk}`);
    }
    if (upToVersion !== undefined && !isWriteVersion(upToVersion)) {
      throw new EmbedlineError('BAD_REQUEST', `upToVersion must be a whole number >= 0, got ${upToVersion}`);
    }
    await this.adapter.deleteDocument(name, documentId, fromChunk, upToVersion);
  }

  async claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void> {
    checkPhysicalCollectionName(name);
    if (!isWriteVersion(version)) throw new EmbedlineError('BAD_REQUEST', `version must be a whole number >= 0, got ${version}`);
    if (documents.size > 0) await this.adapter.claimDocuments(name, documents, version);
  }

  async newerDocuments(name: string, documentIds: readonly string[], version: number): Promise<Set<string>> {
    checkPhysicalCollectionName(name);
    const stored = await this.storedVersions(name, [...new Set(documentIds)]);
    return new Set([...stored].filter(([, v]) => v.newest > version).map(([id]) => id));
  }

  async highestVersion(name: string): Promise<number> {
    checkPhysicalCollectionName(name);
    try {
      return await this.adapter.highestVersion(name);
    } catch (err) {
      if (isEmbedlineError(err) && err.code === 'COLLECTION_MISSING') return 0;
      throw err;
    }
  }

  async documentHashes(name: string, documentIds: readonly string[]): Promise<Map<string, StoredDocument>> {
    checkPhysicalCollectionName(name);
    const ids = [...new Set(documentIds)];
    if (ids.length === 0) {
      await this.require(name); // the same answer for a missing collection as with ids
      return new Map();
    }
    // Every chunk, not just chunk 0: a document is current only when all its chunks are stored.
    const tally = new StoredDocumentTally();
    for await (const row of this.adapter.chunkHashes(name, ids)) tally.add(row);
    return tally.result();
  }

  documentIds(name: string): AsyncIterable<string> {
    checkPhysicalCollectionName(name);
    return this.adapter.documentIds(name);
  }

  async *chunks(name: string): AsyncIterable<Chunk> {
    checkPhysicalCollectionName(name);
    for await (const point of this.adapter.scan(name, false)) yield point.chunk;
  }

  async *points(name: string): AsyncIterable<StoredPoint> {
    checkPhysicalCollectionName(name);
    for await (const { id, chunk, vector, version } of this.adapter.scan(name, true)) {
      if (vector === undefined) throw new EmbedlineError('STORE_REJECTED', `the ${this.kind} store returned point ${id} of "${name}" without its vector`);
      yield { id, vector, chunk, version };
    }
  }

  async search(name: string, vector: Float32Array, k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[]> {
    return (await this.searchBatch(name, [vector], k, filter, scoreThreshold))[0];
  }

  /** Several searches with the same k and filter, answered in the vectors' order. */
  async searchBatch(name: string, vectors: readonly Float32Array[], k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[][]> {
    checkPhysicalCollectionName(name);
    if (!Number.isInteger(k) || k < 1) throw new EmbedlineError('BAD_REQUEST', `k must be a positive integer, got ${k}`);
    if (vectors.length === 0) return [];
    return this.adapter.search(name, vectors, k, filterReader(filter), scoreThreshold);
  }

  async searchText(name: string, queries: readonly TextQuery[], k: number, filter?: Filter): Promise<SearchHit[][]> {
    checkPhysicalCollectionName(name);
    if (!Number.isInteger(k) || k < 1) throw new EmbedlineError('BAD_REQUEST', `k must be a positive integer, got ${k}`);
    if (queries.length === 0) return [];
    return this.adapter.searchText(name, queries, k, filterReader(filter));
  }

  async count(name: string, filter?: Filter): Promise<number> {
    checkPhysicalCollectionName(name);
    return this.adapter.count(name, filterReader(filter));
  }

  async optimize(name: string): Promise<void> {
    checkPhysicalCollectionName(name);
    await this.adapter.optimize(name);
  }

  /** Only stores that index as points arrive have a bulk-load mode; for the others it is a no-op. */
  async beginBulkLoad(name: string): Promise<void> {
    checkPhysicalCollectionName(name);
    await this.adapter.beginBulkLoad?.(name);
  }

  async endBulkLoad(name: string): Promise<void> {
    checkPhysicalCollectionName(name);
    await this.adapter.endBulkLoad?.(name);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.backend.close();
  }

  // -- helpers ------------------------------------------------------------------------------

  private async storedVersions(name: string, documentIds: readonly string[]): Promise<Map<string, StoredVersions>> {
    const rows = [];
    if (documentIds.length > 0) for await (const row of this.adapter.chunkHashes(name, documentIds)) rows.push(row);
    return storedVersions(rows);
  }

  /** Deletes what older versions each document still has beside its newest; returns the newest per document. */
  private async dropOlder(name: string, documentIds: readonly string[]): Promise<Map<string, number>> {
    const newest = new Map<string, number>();
    for (const [documentId, stored] of await this.storedVersions(name, documentIds)) {
      newest.set(documentId, stored.newest);
      if (stored.oldest < stored.newest) await this.adapter.deleteDocument(name, documentId, 0, stored.newest - 1);
    }
    return newest;
  }

  private async aliasTarget(name: string): Promise<string | undefined> {
    return (await this.adapter.aliases()).get(name);
  }

  /** The collection behind a name, or COLLECTION_MISSING naming it. */
  private async require(name: string): Promise<C> {
    const found = await this.adapter.read(name);
    if (!found) throw new EmbedlineError('COLLECTION_MISSING', `collection "${name}" does not exist`, { details: { collection: name } });
    return found;
  }

  /** Checks a just-created (or just-raced) version's spec and lets the backend finish it. */
  private async settleVersion(name: string, physical: string, spec: CollectionSpec): Promise<void> {
    const found = await this.adapter.read(physical);
    if (!found) {
      throw new EmbedlineError('STORE_UNAVAILABLE', `collection "${physical}" vanished right after it was created; try again`, {
        retryable: true,
        details: { collection: name },
      });
    }
    assertSameSpec(name, found.spec, spec);
    await this.adapter.settle?.(physical, found);
  }

  private async describePhysical(name: string, physical: string): Promise<CollectionInfo | undefined> {
    const stored = await this.adapter.describe(physical);
    if (stored === undefined) return undefined;
    const { spec, points, documents, fields, indexing, scoreFloor, placement } = stored;
    // Keys in this order (JSON output); `indexing` and `placement` only where the backend reports them, `scoreFloor` once recorded.
    return {
      name,
      version: physical,
      spec,
      points,
      documents,
      fields,
      ...(indexing === undefined ? {} : { indexing }),
      ...(placement === undefined ? {} : { placement }),
      ...(scoreFloor === undefined ? {} : { scoreFloor }),
    };
  }
}

/** Reads a filter as the collection's recorded field types say (field-types.ts); none for an empty one. */
function filterReader(filter: Filter | undefined): FilterReader | undefined {
  if (filter === undefined || Object.keys(filter).length === 0) return undefined;
  parseFilter(filter); // a library caller's filter gets the checks an HTTP or CLI one had
  return (types) => coerceFilter(filter, types) as Filter;
}

function checkSpec(spec: CollectionSpec): void {
  if (!Number.isInteger(spec.dims) || spec.dims <= 0) {
    throw new EmbedlineError('BAD_REQUEST', `collection spec dims must be a positive integer, got ${spec.dims}`);
  }
}

function assertSameSpec(name: string, recorded: CollectionSpec, requested: CollectionSpec): void {
  const differences = specDifferences(recorded, requested);
  if (differences.length > 0) {
    throw new EmbedlineError('COLLECTION_MISMATCH', specMismatchMessage(name, recorded, requested), {
      details: { collection: name, differences },
    });
  }
}

function documentsOf(points: readonly StoredPoint[]): string[] {
  return [...new Set(points.map((p) => p.chunk.documentId))];
}
