// The Qdrant adapter. A collection `docs` is an alias of a physical collection `docs__v1`,
// `docs__v2`, … (zero-downtime re-embedding moves the alias); points operations go through the
// alias, which Qdrant resolves, while collection-level changes name the physical collection.
// Every write waits until Qdrant has applied it (`wait=true`), so an acknowledged job is searchable.
import type { Schemas } from '@qdrant/js-client-rest';
import type { Chunk } from '../../contracts/chunk.ts';
import { specDifferences, specMismatchMessage, type CollectionSpec } from '../../contracts/collection-spec.ts';
import type { Filter } from '../../contracts/filter.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';
import type { Metadata } from '../../contracts/chunk.ts';
import { coerceFilter, fieldTypeChanges, type FieldTypes } from '../field-types.ts';
import { latestPerId } from '../latest-per-id.ts';
import type { BackoffPolicy } from '../retry-with-backoff.ts';
import { StoredDocumentTally, type StoredDocument } from '../stored-documents.ts';
import type { CollectionInfo, StoredPoint, VectorStore } from '../vector-store.ts';
import { checkVectorDims, vectorDimsError } from '../vector-dims.ts';
import { baseName, nextVersionName, versionName, versionsAmong } from '../versioned-name.ts';
import { mapBounded } from './bounded-parallel.ts';
import {
  BULK_LOAD_KEY,
  createCollectionBody,
  fieldTypesMetadata,
  indexingState,
  missingIndexes,
  payloadIndexes,
  recordedFieldTypes,
  recordedSpec,
  savedIndexingThreshold,
  type PayloadIndex,
} from './collection-layout.ts';
import { QdrantConnection } from './qdrant-connection.ts';
import { refusalStatus } from './qdrant-errors.ts';
import { payloadKey, qdrantFilter } from './qdrant-filter.ts';
import { chunkFromPayload, hitFromScoredPoint, qdrantPoint } from './point-payload.ts';
import { DEFAULT_BATCH_LIMITS, upsertBatches, type BatchLimits } from './upsert-batches.ts';

export interface QdrantStoreOptions {
  url: string;
  apiKey?: string;
  /** Upsert requests are cut to at most this many points and bytes each. */
  batchLimits?: Partial<BatchLimits>;
  /** Upsert requests in flight at once for one upsert call. */
  requestsInFlight?: number;
  /** Per request, except optimizer changes (which wait for Qdrant's optimisation). */
  timeoutMs?: number;
  retry?: Partial<BackoffPolicy>;
}

/** A collection as read from Qdrant: its info and the spec it was built with. */
interface ReadCollection {
  info: Schemas['CollectionInfo'];
  spec: CollectionSpec;
}

type Condition = Schemas['Condition'];
type ScrollRequest = Omit<Schemas['ScrollRequest'], 'offset'>;

const FIRST_CHUNK: Condition = { key: 'chunkIndex', match: { value: 0 } };
/** Qdrant's collection default (OptimizersConfig in its OpenAPI document), restored when none was saved. */
const DEFAULT_INDEXING_THRESHOLD = 10_000;
/** A PATCH of optimizer settings returns only once running optimisations are done. */
const OPTIMIZER_CHANGE_TIMEOUT_MS = 10 * 60_000;
const IDS_PER_LOOKUP = 256;
const SCROLL_PAGE = 256;
const DESCRIBE_IN_FLIGHT = 4;
/** How long a search trusts the field types it read: new fields are recorded rarely, searches are many. */
const FIELD_TYPES_TTL_MS = 5_000;

export class QdrantVectorStore implements VectorStore {
  readonly kind = 'qdrant';
  private readonly connection: QdrantConnection;
  /** Recorded field types by collection name, for reading filters (see filterFor). */
  private readonly fieldTypes = new Map<string, { types: FieldTypes; at: number }>();
  private readonly batchLimits: BatchLimits;
  private readonly requestsInFlight: number;

  constructor(options: QdrantStoreOptions) {
    this.connection = new QdrantConnection(options);
    this.batchLimits = { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits };
    this.requestsInFlight = options.requestsInFlight ?? 2;
  }

  async ensureCollection(name: string, spec: CollectionSpec): Promise<void> {
    checkSpec(spec);
    const existing = await this.readCollection(name);
    if (existing) {
      assertSameSpec(name, existing.spec, spec);
      // An index missing since creation (or a collection from before fields were indexed); indexes are
      // collection-level, so name the physical one.
      const missing = missingIndexes(existing.info, payloadIndexes(recordedFieldTypes(existing.info)));
      if (missing.length > 0) await this.createIndexes((await this.aliasTarget(name)) ?? name, missing);
      return;
    }
    const first = versionName(name, 1);
    // Workers racing to create it: one create wins, the others get 409 and check the winner's spec.
    const created = await this.createPhysical(first, spec);
    await this.settleVersion(name, first, spec);
    if (created || (await this.aliasTarget(name)) === undefined) {
      await this.changeAliases(name, [{ create_alias: { collection_name: first, alias_name: name } }]);
    }
  }

  async describe(name: string): Promise<CollectionInfo | undefined> {
    return this.infoOf(name, (await this.aliasTarget(name)) ?? name);
  }

  /** Collections by name (aliases), plus physical collections that are nobody's version. */
  async listCollections(): Promise<CollectionInfo[]> {
    const [physicalNames, aliases] = await Promise.all([this.collectionNames(), this.aliases()]);
    const versionOfAName = (physical: string) => {
      const base = baseName(physical);
      return base !== undefined && aliases.has(base);
    };
    const shown = [...aliases, ...physicalNames.filter((p) => !versionOfAName(p)).map((p): [string, string] => [p, p])];
    const infos = await mapBounded(shown, DESCRIBE_IN_FLIGHT, async ([name, physical]) => {
      try {
        return await this.infoOf(name, physical);
      } catch (err) {
        // Another tool's collection is not ours to list.
        if (isEmbedlineError(err) && err.code === 'COLLECTION_MISMATCH') return undefined;
        throw err;
      }
    });
    return infos.filter((info): info is CollectionInfo => info !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One request (GET /collections), plus the version check on a connection's first use. */
  async ping(): Promise<void> {
    await this.collectionNames();
  }

  async upsert(name: string, points: StoredPoint[]): Promise<void> {
    if (points.length === 0) return;
    const { info, spec } = await this.requireCollection(name);
    // Batches go out in parallel, so a repeated id must be settled here, not by arrival order.
    const unique = latestPerId(points);
    for (const point of unique) checkVectorDims(point.vector, spec.dims, name, `point ${point.id}`);
    await this.recordFields(name, info, unique.map((p) => p.chunk.metadata));
    const batches = upsertBatches(unique.map(qdrantPoint), this.batchLimits);
    await mapBounded(batches, this.requestsInFlight, (batch) =>
      this.connection.result({ action: 'write points', collection: name }, (api, init) =>
        api.upsertPoints({ collection_name: name, wait: true, points: batch.points }, init),
      ),
    );
  }

  async deleteDocument(name: string, documentId: string, fromChunk = 0): Promise<void> {
    if (!Number.isInteger(fromChunk) || fromChunk < 0) {
      throw new EmbedlineError('BAD_REQUEST', `fromChunk must be a non-negative integer, got ${fromChunk}`);
    }
    const filter = { must: [{ key: 'documentId', match: { value: documentId } }, { key: 'chunkIndex', range: { gte: fromChunk } }] };
    await this.connection.result({ action: 'delete a document', collection: name }, (api, init) =>
      api.deletePoints({ collection_name: name, wait: true, filter }, init),
    );
  }

  async documentHashes(name: string, documentIds: readonly string[]): Promise<Map<string, StoredDocument>> {
    const ids = [...new Set(documentIds)];
    if (ids.length === 0) {
      await this.requireCollection(name); // same answer for a missing collection as with ids
      return new Map();
    }
    const tally = new StoredDocumentTally();
    for (let i = 0; i < ids.length; i += IDS_PER_LOOKUP) {
      // Every chunk, not just chunk 0: a document is current only when all its chunks are stored.
      const request: ScrollRequest = {
        filter: qdrantFilter({ documentId: ids.slice(i, i + IDS_PER_LOOKUP) }),
        with_payload: { include: ['documentId', 'chunkIndex', 'contentHash'] },
        limit: SCROLL_PAGE,
      };
      for await (const record of this.scroll(name, request, 'read document hashes')) {
        const p = record.payload ?? {};
        tally.add({ documentId: p.documentId as string, chunkIndex: p.chunkIndex as number, contentHash: p.contentHash as string });
      }
    }
    return tally.result();
  }

  /** Each document once, by its chunk 0. */
  async *documentIds(name: string): AsyncIterable<string> {
    const request: ScrollRequest = { filter: { must: [FIRST_CHUNK] }, with_payload: { include: ['documentId'] }, limit: SCROLL_PAGE };
    for await (const record of this.scroll(name, request, 'list documents')) yield record.payload?.documentId as string;
  }

  async *chunks(name: string): AsyncIterable<Chunk> {
    for await (const record of this.scroll(name, { with_payload: true, limit: SCROLL_PAGE }, 'read chunks')) yield chunkFromPayload(record.payload);
  }

  async *points(name: string): AsyncIterable<StoredPoint> {
    for await (const record of this.scroll(name, { with_payload: true, with_vector: true, limit: SCROLL_PAGE }, 'read points')) {
      yield { id: String(record.id), vector: Float32Array.from(record.vector as number[]), chunk: chunkFromPayload(record.payload) };
    }
  }

  async search(name: string, vector: Float32Array, k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[]> {
    return (await this.searchBatch(name, [vector], k, filter, scoreThreshold))[0];
  }

  /** One request for all the vectors (queryBatchPoints), answered in their order. */
  async searchBatch(name: string, vectors: readonly Float32Array[], k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[][]> {
    if (!Number.isInteger(k) || k < 1) throw new EmbedlineError('BAD_REQUEST', `k must be a positive integer, got ${k}`);
    if (vectors.length === 0) return [];
    const where = await this.filterFor(name, filter);
    const searches = vectors.map((vector): Schemas['QueryRequest'] => {
      const request: Schemas['QueryRequest'] = { query: Array.from(vector), filter: where, limit: k, with_payload: true };
      if (scoreThreshold !== undefined) request.score_threshold = scoreThreshold;
      return request;
    });
    try {
      const results =
        searches.length === 1
          ? [await this.connection.result({ action: 'search', collection: name }, (api, init) => api.queryPoints({ collection_name: name, ...searches[0] }, init))]
          : await this.connection.result({ action: 'search', collection: name }, (api, init) => api.queryBatchPoints({ collection_name: name, searches }, init));
      return results.map(({ points }) => points.map(hitFromScoredPoint));
    } catch (err) {
      // No spec read before a query (it would cost a round trip): Qdrant's own check names the length.
      if (isEmbedlineError(err) && err.code === 'COLLECTION_MISMATCH') {
        const expected = /expected dim: (\d+)/.exec(err.message)?.[1];
        const wrong = vectors.find((v) => String(v.length) !== expected) ?? vectors[0];
        throw vectorDimsError(name, 'the query vector', wrong.length, expected === undefined ? undefined : Number(expected));
      }
      throw err;
    }
  }

  async count(name: string, filter?: Filter): Promise<number> {
    const where = await this.filterFor(name, filter);
    const { count } = await this.connection.result({ action: 'count points', collection: name }, (api, init) =>
      api.countPoints({ collection_name: name, filter: where, exact: true }, init),
    );
    return count;
  }

  /**
   * Qdrant builds its indexes in the background by itself; all that is left after a load is to end
   * bulk-load mode if it was on.
   */
  async optimize(name: string): Promise<void> {
    await this.endBulkLoad(name);
  }

  /**
   * Defers HNSW building during a large load (indexing_threshold 0, Qdrant's bulk-upload advice):
   * points stay searchable, exactly, but are not indexed until endBulkLoad. The threshold in effect
   * is saved in the collection's metadata, so endBulkLoad restores it from any process.
   */
  async beginBulkLoad(name: string): Promise<void> {
    const physical = (await this.aliasTarget(name)) ?? name;
    const { info } = await this.requireCollection(physical, name);
    const current = info.config.optimizer_config.indexing_threshold;
    if (current === 0) return; // already deferred: by a bulk load in progress, or on purpose
    await this.patchCollection(physical, name, 'begin a bulk load', {
      optimizers_config: { indexing_threshold: 0 },
      metadata: { [BULK_LOAD_KEY]: { indexing_threshold: current ?? null } },
    });
  }

  /** Restores the indexing threshold saved by beginBulkLoad; a no-op outside a bulk load. */
  async endBulkLoad(name: string): Promise<void> {
    const physical = (await this.aliasTarget(name)) ?? name;
    const { info } = await this.requireCollection(physical, name);
    const saved = savedIndexingThreshold(info);
    if (saved === undefined) return;
    await this.patchCollection(physical, name, 'end a bulk load', {
      optimizers_config: { indexing_threshold: saved ?? DEFAULT_INDEXING_THRESHOLD },
      metadata: { [BULK_LOAD_KEY]: null },
    });
  }

  async dropCollection(name: string): Promise<void> {
    if ((await this.aliasTarget(name)) === undefined) return this.deletePhysical(name);
    // The name first, so readers get "missing" rather than a half-dropped collection.
    await this.changeAliases(name, [{ delete_alias: { alias_name: name } }]);
    for (const version of await this.versions(name)) await this.deletePhysical(version);
  }

  async versions(name: string): Promise<string[]> {
    return versionsAmong(name, await this.collectionNames());
  }

  async createVersion(name: string, spec: CollectionSpec): Promise<string> {
    checkSpec(spec);
    const physical = nextVersionName(name, await this.collectionNames());
    if (!(await this.createPhysical(physical, spec))) {
      throw new EmbedlineError('STORE_REJECTED', `version "${physical}" of "${name}" was created by someone else at the same moment; run again`, {
        details: { collection: name, version: physical },
      });
    }
    await this.settleVersion(name, physical, spec);
    return physical;
  }

  /** Moves the name to `physical` in one aliases request (both actions apply, or neither). */
  async activateVersion(name: string, physical: string): Promise<string | undefined> {
    await this.requireCollection(physical);
    const previous = await this.aliasTarget(name);
    await this.changeAliases(name, [
      { delete_alias: { alias_name: name } },
      { create_alias: { collection_name: physical, alias_name: name } },
    ]);
    return previous;
  }

  /** Nothing to release: the client's HTTP connections close when idle. */
  async close(): Promise<void> {}

  // -- collections --------------------------------------------------------------------------

  /** undefined when missing; COLLECTION_MISMATCH when it is not an embedline collection. */
  private async readCollection(name: string): Promise<ReadCollection | undefined> {
    let info: Schemas['CollectionInfo'];
    try {
      info = await this.connection.result({ action: 'read the collection', collection: name }, (api, init) =>
        api.getCollection({ collection_name: name }, init),
      );
    } catch (err) {
      if (isEmbedlineError(err) && err.code === 'COLLECTION_MISSING') return undefined;
      throw err;
    }
    const spec = recordedSpec(info, name);
    if (spec === undefined) {
      throw new EmbedlineError(
        'COLLECTION_MISMATCH',
        `"${name}" on Qdrant at ${this.connection.url} is not an embedline collection: its metadata holds no embedline spec`,
        { details: { collection: name } },
      );
    }
    return { info, spec };
  }

  /** `shownAs`: the name the caller used, for the message (an alias of `name`). */
  private async requireCollection(name: string, shownAs = name): Promise<ReadCollection> {
    const found = await this.readCollection(name);
    if (!found) throw new EmbedlineError('COLLECTION_MISSING', `collection "${shownAs}" does not exist`, { details: { collection: shownAs } });
    return found;
  }

  /**
   * Two requests: the collection info, whose points_count is free, and one count of chunk 0s,
   * answered from the chunkIndex payload index rather than by a scan.
   */
  private async infoOf(name: string, physical: string): Promise<CollectionInfo | undefined> {
    const found = await this.readCollection(physical);
    if (!found) return undefined;
    const { count: documents } = await this.connection.result({ action: 'count documents', collection: physical }, (api, init) =>
      api.countPoints({ collection_name: physical, filter: { must: [FIRST_CHUNK] }, exact: true }, init),
    );
    const { info, spec } = found;
    return { name, version: physical, spec, points: info.points_count ?? 0, documents, fields: recordedFieldTypes(info), indexing: indexingState(info) };
  }

  // -- metadata fields ----------------------------------------------------------------------

  /**
   * Records the types of metadata fields seen for the first time (or widened to float) and gives
   * each its payload index, before the points carrying them are written. The index comes first: a
   * recorded field always has one, and a write interrupted in between is repaired by the next.
   */
  private async recordFields(name: string, info: Schemas['CollectionInfo'], metadata: Metadata[]): Promise<void> {
    const recorded = recordedFieldTypes(info);
    const changes = fieldTypeChanges(recorded, metadata);
    const missing = missingIndexes(info, payloadIndexes({ ...recorded, ...changes }));
    if (missing.length === 0 && Object.keys(changes).length === 0) return;
    const physical = (await this.aliasTarget(name)) ?? name;
    await this.createIndexes(physical, missing);
    if (Object.keys(changes).length > 0) {
      await this.patchCollection(physical, name, 'record metadata field types', { metadata: fieldTypesMetadata(changes) });
    }
    this.fieldTypes.delete(name);
  }

  /**
   * The Qdrant filter for a search or count: values read as their fields' recorded types, and, once
   * a collection records its fields, an unknown field refused by name (as the local store does)
   * rather than matching nothing, or being refused by a strict-mode server for lack of an index.
   */
  private async filterFor(name: string, filter: Filter | undefined): Promise<Schemas['Filter'] | undefined> {
    if (filter === undefined || Object.keys(filter).length === 0) return undefined;
    Object.keys(filter).forEach(payloadKey); // a key Qdrant cannot address is refused first, for what it is
    let cached = this.fieldTypes.get(name);
    if (cached === undefined || Date.now() - cached.at > FIELD_TYPES_TTL_MS) {
      const { info } = await this.requireCollection(name);
      cached = { types: recordedFieldTypes(info), at: Date.now() };
      this.fieldTypes.set(name, cached);
    }
    const { types } = cached;
    if (Object.keys(types).length > 0) {
      const unknown = Object.keys(filter).find((field) => field !== 'documentId' && !(field in types));
      if (unknown !== undefined) {
        throw new EmbedlineError('BAD_REQUEST', `unknown filter field "${unknown}": no point in this collection has that metadata key`, {
          details: { field: unknown },
        });
      }
    }
    return qdrantFilter(coerceFilter(filter, types), [], types);
  }

  /** false when a collection of that name already exists (409): another process got there first. */
  private async createPhysical(physical: string, spec: CollectionSpec): Promise<boolean> {
    try {
      // The generated API, not client.createCollection(), which drops `metadata` from the body.
      await this.connection.result({ action: 'create the collection', collection: physical }, (api, init) =>
        api.createCollection({ collection_name: physical, ...createCollectionBody(spec) }, init),
      );
      return true;
    } catch (err) {
      if (refusalStatus(err) === 409) return false;
      throw err;
    }
  }

  /** Checks a just-created (or just-raced) version's spec and gives it its payload indexes. */
  private async settleVersion(name: string, physical: string, spec: CollectionSpec): Promise<void> {
    const found = await this.readCollection(physical);
    if (!found) {
      throw new EmbedlineError('STORE_UNAVAILABLE', `collection "${physical}" vanished right after it was created; try again`, {
        retryable: true,
        details: { collection: name },
      });
    }
    assertSameSpec(name, found.spec, spec);
    await this.createIndexes(physical, missingIndexes(found.info, payloadIndexes(recordedFieldTypes(found.info))));
  }

  private async createIndexes(physical: string, indexes: readonly PayloadIndex[]): Promise<void> {
    for (const index of indexes) {
      await this.connection.result({ action: `index payload field ${index.field_name}`, collection: physical }, (api, init) =>
        api.createFieldIndex({ collection_name: physical, wait: true, ...index }, init),
      );
    }
  }

  private async deletePhysical(physical: string): Promise<void> {
    try {
      await this.connection.result({ action: 'drop the collection', collection: physical }, (api, init) =>
        api.deleteCollection({ collection_name: physical }, init),
      );
    } catch (err) {
      // Dropping what is already gone is done, not an error: cleanup can run twice.
      if (!(isEmbedlineError(err) && err.code === 'COLLECTION_MISSING')) throw err;
    }
  }

  /** A PATCH of the collection; a long timeout, as one that changes optimizers waits for them. */
  private async patchCollection(physical: string, name: string, action: string, body: Schemas['UpdateCollection']): Promise<void> {
    await this.connection.result({ action, collection: name, timeoutMs: OPTIMIZER_CHANGE_TIMEOUT_MS }, (api, init) =>
      api.updateCollection({ collection_name: physical, ...body }, init),
    );
  }

  private async collectionNames(): Promise<string[]> {
    const { collections } = await this.connection.result({ action: 'list collections' }, (api, init) => api.getCollections({}, init));
    return collections.map((c) => c.name);
  }

  // -- aliases ------------------------------------------------------------------------------

  /** Alias name → physical collection. */
  private async aliases(): Promise<Map<string, string>> {
    const { aliases } = await this.connection.result({ action: 'list aliases' }, (api, init) => api.getCollectionsAliases({}, init));
    return new Map(aliases.map((a) => [a.alias_name, a.collection_name]));
  }

  private async aliasTarget(name: string): Promise<string | undefined> {
    return (await this.aliases()).get(name);
  }

  private async changeAliases(name: string, actions: Schemas['AliasOperations'][]): Promise<void> {
    await this.connection.result({ action: 'switch the collection name', collection: name }, (api, init) => api.updateAliases({ actions }, init));
  }

  // -- points -------------------------------------------------------------------------------

  /** Every record the request selects, page by page (`next_page_offset`). */
  private async *scroll(name: string, request: ScrollRequest, action: string): AsyncGenerator<Schemas['Record']> {
    let offset: Schemas['ScrollRequest']['offset'];
    do {
      const page = await this.connection.result({ action, collection: name }, (api, init) =>
        api.scrollPoints({ collection_name: name, with_vector: false, ...request, offset }, init),
      );
      yield* page.points;
      offset = page.next_page_offset;
    } while (offset !== null && offset !== undefined);
  }
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
