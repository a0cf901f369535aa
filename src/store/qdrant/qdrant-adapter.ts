// The Qdrant backend. A collection `docs` is an alias of a physical collection `docs__v1`,
// `docs__v2`, … (checked-store.ts decides which); points operations go through the alias, which
// Qdrant resolves, while collection-level changes name the physical collection. Every write waits
// until Qdrant has applied it (`wait=true`), so an acknowledged job is searchable. Only what is
// Qdrant's lives here: names, specs, versions, k and dims of writes are checked by the shared layer.
import type { Schemas } from '@qdrant/js-client-rest';
import type { Metadata } from '../../contracts/chunk.ts';
import type { CollectionSpec } from '../../contracts/collection-spec.ts';
import type { ScoreFloor } from '../../contracts/score-floor.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';
import { mapBounded } from '../bounded-parallel.ts';
import { fieldTypeChanges, unknownFieldError, type FieldTypes } from '../field-types.ts';
import type { BackoffPolicy } from '../retry-with-backoff.ts';
import type { FilterReader, RecordedCollection, ScannedPoint, StoreAdapter, StoredCollectionInfo } from '../store-adapter.ts';
import type { ChunkHash } from '../stored-documents.ts';
import type { StoredPoint, TextQuery } from '../vector-store.ts';
import { vectorDimsError } from '../vector-dims.ts';
import {
  BULK_LOAD_KEY,
  createCollectionBody,
  fieldTypesMetadata,
  indexingState,
  hasKeywordVector,
  missingIndexes,
  payloadIndexes,
  recordedFieldTypes,
  recordedScoreFloor,
  recordedSpec,
  savedIndexingThreshold,
  SCORE_FLOOR_KEY,
  type PayloadIndex,
} from './collection-layout.ts';
import { QdrantConnection } from './qdrant-connection.ts';
import { recordedPlacement, type PlacementSettings } from './collection-placement.ts';
import { refusalStatus } from './qdrant-errors.ts';
import { payloadKey, qdrantFilter } from './qdrant-filter.ts';
import { filterFields } from '../../contracts/filter.ts';
import { chunkFromPayload, denseVectorOf, hitFromScoredPoint, qdrantPoint, VERSION_KEY, versionFromPayload } from './point-payload.ts';
import { KEYWORDS_VECTOR, queryKeywordVector } from './keyword-vector.ts';
import { keywordIndexMissing } from '../keyword-index-missing.ts';
import { DEFAULT_RRF_K, fusionDepth } from '../rank-fusion.ts';
import { versionOf } from '../write-version.ts';
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
  /** Shards, replication and write consistency of the collections this store creates (unset: Qdrant's defaults). */
  placement?: PlacementSettings;
}

/** A collection as read from Qdrant: its info and the spec it was built with. */
export interface QdrantCollection extends RecordedCollection {
  info: Schemas['CollectionInfo'];
}

type Condition = Schemas['Condition'];
type ScrollRequest = Omit<Schemas['ScrollRequest'], 'offset'>;

const FIRST_CHUNK: Condition = { key: 'chunkIndex', match: { value: 0 } };

/** Points written for `version` or an older one; points from before versions (no key) count as 0. */
function upToVersion(version: number): Schemas['Filter'] {
  return { should: [{ is_empty: { key: VERSION_KEY } }, { key: VERSION_KEY, range: { lte: version } }] };
}
/** Qdrant's collection default (OptimizersConfig in its OpenAPI document), restored when none was saved. */
const DEFAULT_INDEXING_THRESHOLD = 10_000;
/** A PATCH of optimizer settings returns only once running optimisations are done. */
const OPTIMIZER_CHANGE_TIMEOUT_MS = 10 * 60_000;
const IDS_PER_LOOKUP = 256;
const SCROLL_PAGE = 256;
/** How long a search trusts the field types it read: new fields are recorded rarely, searches are many. */
const FIELD_TYPES_TTL_MS = 5_000;

export class QdrantAdapter implements StoreAdapter<QdrantCollection> {
  readonly kind = 'qdrant';
  private readonly connection: QdrantConnection;
  /** Recorded field types by collection name, for reading filters (see fieldTypes). */
  private readonly fieldTypeCache = new Map<string, { types: FieldTypes; at: number }>();
  private readonly batchLimits: BatchLimits;
  private readonly requestsInFlight: number;
  private readonly placement: PlacementSettings;

  constructor(options: QdrantStoreOptions) {
    this.connection = new QdrantConnection(options);
    this.placement = options.placement ?? {};
    this.batchLimits = { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits };
    this.requestsInFlight = options.requestsInFlight ?? 2;
  }

  // -- catalogue ----------------------------------------------------------------------------

  /** One request (GET /collections), plus the version check on a connection's first use. */
  async physicalNames(): Promise<string[]> {
    const { collections } = await this.connection.result({ action: 'list collections' }, (api, init) => api.getCollections({}, init));
    return collections.map((c) => c.name);
  }

  async aliases(): Promise<Map<string, string>> {
    const { aliases } = await this.connection.result({ action: 'list aliases' }, (api, init) => api.getCollectionsAliases({}, init));
    return new Map(aliases.map((a) => [a.alias_name, a.collection_name]));
  }

  /** One aliases request: both actions apply, or neither, so searches see the old or the new version. */
  async setAlias(alias: string, physical: string | undefined): Promise<void> {
    const actions: Schemas['AliasOperations'][] = [{ delete_alias: { alias_name: alias } }];
    if (physical !== undefined) actions.push({ create_alias: { collection_name: physical, alias_name: alias } });
    await this.connection.result({ action: 'switch the collection name', collection: alias }, (api, init) => api.updateAliases({ actions }, init));
  }

  /** undefined when missing; COLLECTION_MISMATCH when it is not an embedline collection. */
  async read(name: string): Promise<QdrantCollection | undefined> {
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

  /** false when a collection of that name already exists (409): another process got there first. */
  async create(physical: string, spec: CollectionSpec): Promise<boolean> {
    try {
      // The generated API, not client.createCollection(), which drops `metadata` from the body.
      await this.connection.result({ action: 'create the collection', collection: physical }, (api, init) =>
        api.createCollection({ collection_name: physical, ...createCollectionBody(spec, this.placement) }, init),
      );
      return true;
    } catch (err) {
      if (refusalStatus(err) === 409) return false;
      throw err;
    }
  }

  /**
   * Gives the collection the payload indexes it lacks: documentId and chunkIndex, and one per
   * recorded metadata field of its type (missing since creation, or from before fields were indexed).
   * Indexes are collection-level, so they name the physical collection.
   */
  async settle(name: string, { info }: QdrantCollection): Promise<void> {
    const missing = missingIndexes(info, payloadIndexes(recordedFieldTypes(info)));
    if (missing.length > 0) await this.createIndexes(await this.physicalOf(name), missing);
  }

  async drop(physical: string): Promise<void> {
    try {
      await this.connection.result({ action: 'drop the collection', collection: physical }, (api, init) =>
        api.deleteCollection({ collection_name: physical }, init),
      );
    } catch (err) {
      // Dropping what is already gone is done, not an error: cleanup can run twice.
      if (!(isEmbedlineError(err) && err.code === 'COLLECTION_MISSING')) throw err;
    }
  }

  /**
   * Two requests: the collection info, whose points_count is free, and one count of chunk 0s,
   * answered from the chunkIndex payload index rather than by a scan.
   */
  async describe(physical: string): Promise<StoredCollectionInfo | undefined> {
    const found = await this.read(physical);
    if (!found) return undefined;
    const { count: documents } = await this.connection.result({ action: 'count documents', collection: physical }, (api, init) =>
      api.countPoints({ collection_name: physical, filter: { must: [FIRST_CHUNK] }, exact: true }, init),
    );
    const { info, spec } = found;
    const scoreFloor = recordedScoreFloor(info);
    return { spec, points: info.points_count ?? 0, documents, fields: recordedFieldTypes(info), indexing: indexingState(info), placement: recordedPlacement(info), ...(scoreFloor ? { scoreFloor } : {}) };
  }

  async recordScoreFloor(physical: string, floor: ScoreFloor): Promise<void> {
    await this.patchCollection(physical, physical, 'record the score floor', { metadata: { [SCORE_FLOOR_KEY]: { ...floor } } });
  }

  /** Read at most every FIELD_TYPES_TTL_MS per collection: new fields are recorded rarely, searches are many. */
  private async fieldTypes(name: string): Promise<FieldTypes> {
    let cached = this.fieldTypeCache.get(name);
    if (cached === undefined || Date.now() - cached.at > FIELD_TYPES_TTL_MS) {
      cached = { types: recordedFieldTypes((await this.require(name)).info), at: Date.now() };
      this.fieldTypeCache.set(name, cached);
    }
    return cached.types;
  }

  // -- points -------------------------------------------------------------------------------

  /**
   * One conditional upsert per write version in the batch (`update_filter`: a stored point is
   * replaced only if its version is not newer; new points are inserted regardless).
   */
  async upsert(name: string, points: StoredPoint[], { info }: QdrantCollection): Promise<void> {
    await this.recordFields(name, info, points.map((p) => p.chunk.metadata));
    const keywords = hasKeywordVector(info);
    const byVersion = new Map<number, StoredPoint[]>();
    for (const point of points) {
      const group = byVersion.get(versionOf(point));
      if (group) group.push(point);
      else byVersion.set(versionOf(point), [point]);
    }
    // Batches go out in parallel: the shared layer has already left one point per id.
    const batches = [...byVersion].flatMap(([version, group]) => upsertBatches(group.map((p) => qdrantPoint(p, keywords)), this.batchLimits).map((batch) => ({ version, batch })));
    await mapBounded(batches, this.requestsInFlight, ({ version, batch }) =>
      this.connection.result({ action: 'write points', collection: name }, (api, init) =>
        api.upsertPoints({ collection_name: name, wait: true, points: batch.points, update_filter: upToVersion(version) }, init),
      ),
    );
  }

  async claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void> {
    const entries = [...documents];
    for (let i = 0; i < entries.length; i += IDS_PER_LOOKUP) {
      const these: Condition[] = entries.slice(i, i + IDS_PER_LOOKUP).map(([id, hash]) => ({
        must: [{ key: 'documentId', match: { value: id } }, { key: 'contentHash', match: { value: hash } }],
      }));
      const filter = { must: [{ should: these }, upToVersion(version - 1)] };
      await this.connection.result({ action: 'claim documents', collection: name }, (api, init) =>
        api.setPayload({ collection_name: name, wait: true, payload: { [VERSION_KEY]: version }, filter }, init),
      );
    }
  }

  async highestVersion(name: string): Promise<number> {
    // A collection from before versions has no index on the key (order_by needs one), nor any version.
    if (!((await this.require(name)).info.payload_schema[VERSION_KEY])) return 0;
    const page = await this.connection.result({ action: 'read write versions', collection: name }, (api, init) =>
      api.scrollPoints({ collection_name: name, limit: 1, with_payload: { include: [VERSION_KEY] }, with_vector: false, order_by: { key: VERSION_KEY, direction: 'desc' } }, init),
    );
    return versionFromPayload(page.points[0]?.payload);
  }

  async deleteDocument(name: string, documentId: string, fromChunk: number, upToVersionOf?: number): Promise<void> {
    const must: Condition[] = [{ key: 'documentId', match: { value: documentId } }, { key: 'chunkIndex', range: { gte: fromChunk } }];
    if (upToVersionOf !== undefined) must.push(upToVersion(upToVersionOf));
    const filter = { must };
    await this.connection.result({ action: 'delete a document', collection: name }, (api, init) =>
      api.deletePoints({ collection_name: name, wait: true, filter }, init),
    );
  }

  async *chunkHashes(name: string, documentIds: readonly string[]): AsyncIterable<ChunkHash> {
    for (let i = 0; i < documentIds.length; i += IDS_PER_LOOKUP) {
      const request: ScrollRequest = {
        filter: qdrantFilter({ documentId: documentIds.slice(i, i + IDS_PER_LOOKUP) }),
        with_payload: { include: ['documentId', 'chunkIndex', 'contentHash', VERSION_KEY] },
        limit: SCROLL_PAGE,
      };
      for await (const record of this.scroll(name, request, 'read document hashes')) {
        const p = record.payload ?? {};
        yield { documentId: p.documentId as string, chunkIndex: p.chunkIndex as number, contentHash: p.contentHash as string, version: versionFromPayload(p) };
      }
    }
  }

  /** Each document once, by its chunk 0. */
  async *documentIds(name: string): AsyncIterable<string> {
    const request: ScrollRequest = { filter: { must: [FIRST_CHUNK] }, with_payload: { include: ['documentId'] }, limit: SCROLL_PAGE };
    for await (const record of this.scroll(name, request, 'list documents')) yield record.payload?.documentId as string;
  }

  async *scan(name: string, withVectors: boolean): AsyncIterable<ScannedPoint> {
    const request: ScrollRequest = { with_payload: true, with_vector: withVectors, limit: SCROLL_PAGE };
    for await (const record of this.scroll(name, request, withVectors ? 'read points' : 'read chunks')) {
      const point: ScannedPoint = { id: String(record.id), chunk: chunkFromPayload(record.payload) };
      if (withVectors) {
        point.vector = Float32Array.from(denseVectorOf(record.vector));
        point.version = versionFromPayload(record.payload);
      }
      yield point;
    }
  }

  /** One request for all the vectors (queryBatchPoints; queryPoints for one), answered in their order. */
  async search(name: string, vectors: readonly Float32Array[], k: number, filter?: FilterReader, scoreThreshold?: number): Promise<SearchHit[][]> {
    const where = await this.qdrantFilterOf(name, filter);
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
      throw queryError(name, err, vectors);
    }
  }

  /**
   * One request for all the queries (queryBatchPoints). Keyword: a sparse query on the keyword
   * vector, which Qdrant weighs by idf. Hybrid: that and the dense query as two prefetches, each
   * reaching fusionDepth(k), fused by Qdrant's reciprocal rank fusion with k = DEFAULT_RRF_K, the
   * formula rank-fusion.ts implements for the local store. The filter applies to both prefetches.
   */
  async searchText(name: string, queries: readonly TextQuery[], k: number, filter?: FilterReader): Promise<SearchHit[][]> {
    const where = await this.qdrantFilterOf(name, filter);
    const depth = fusionDepth(k);
    const asked = queries.map(({ text, vector }) => ({ sparse: queryKeywordVector(text), vector }));
    // A query without terms matches no chunk by keyword (Qdrant refuses an empty sparse vector).
    const searches = asked.flatMap(({ sparse, vector }): Schemas['QueryRequest'][] => {
      if (!vector) return sparse ? [{ query: sparse, using: KEYWORDS_VECTOR, filter: where, limit: k, with_payload: true }] : [];
      const prefetch: Schemas['Prefetch'][] = [{ query: Array.from(vector), filter: where, limit: depth }];
      if (sparse) prefetch.push({ query: sparse, using: KEYWORDS_VECTOR, filter: where, limit: depth });
      return [{ prefetch, query: { rrf: { k: DEFAULT_RRF_K } }, filter: where, limit: k, with_payload: true }];
    });
    let answers: Schemas['QueryResponse'][] = [];
    try {
      if (searches.length > 0) {
        answers = await this.connection.result({ action: 'search', collection: name }, (api, init) => api.queryBatchPoints({ collection_name: name, searches }, init));
      }
    } catch (err) {
      // No collection read before a query (a round trip): Qdrant names the vector it lacks.
      if (refusalStatus(err) === 400 && /not existing vector name/i.test((err as Error).message)) throw keywordIndexMissing(name);
      throw queryError(name, err, queries.flatMap((q) => (q.vector ? [q.vector] : [])));
    }
    let next = 0;
    return asked.map(({ sparse, vector }) => (vector || sparse ? answers[next++].points.map(hitFromScoredPoint) : []));
  }

  async count(name: string, filter?: FilterReader): Promise<number> {
    const where = await this.qdrantFilterOf(name, filter);
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
    const physical = await this.physicalOf(name);
    const { info } = await this.require(physical, name);
    const current = info.config.optimizer_config.indexing_threshold;
    if (current === 0) return; // already deferred: by a bulk load in progress, or on purpose
    await this.patchCollection(physical, name, 'begin a bulk load', {
      optimizers_config: { indexing_threshold: 0 },
      metadata: { [BULK_LOAD_KEY]: { indexing_threshold: current ?? null } },
    });
  }

  /** Restores the indexing threshold saved by beginBulkLoad; a no-op outside a bulk load. */
  async endBulkLoad(name: string): Promise<void> {
    const physical = await this.physicalOf(name);
    const { info } = await this.require(physical, name);
    const saved = savedIndexingThreshold(info);
    if (saved === undefined) return;
    await this.patchCollection(physical, name, 'end a bulk load', {
      optimizers_config: { indexing_threshold: saved ?? DEFAULT_INDEXING_THRESHOLD },
      metadata: { [BULK_LOAD_KEY]: null },
    });
  }

  /** Nothing to release: the client's HTTP connections close when idle. */
  async close(): Promise<void> {}

  // -- collections --------------------------------------------------------------------------

  /** `shownAs`: the name the caller used, for the message (an alias of `name`). */
  private async require(name: string, shownAs = name): Promise<QdrantCollection> {
    const found = await this.read(name);
    if (!found) throw new EmbedlineError('COLLECTION_MISSING', `collection "${shownAs}" does not exist`, { details: { collection: shownAs } });
    return found;
  }

  /** The physical collection behind a name (collection-level changes do not follow aliases). */
  private async physicalOf(name: string): Promise<string> {
    return (await this.aliases()).get(name) ?? name;
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
    const physical = await this.physicalOf(name);
    await this.createIndexes(physical, missing);
    if (Object.keys(changes).length > 0) {
      await this.patchCollection(physical, name, 'record metadata field types', { metadata: fieldTypesMetadata(changes) });
    }
    this.fieldTypeCache.delete(name);
  }

  /**
   * The Qdrant filter for a search or count. Once a collection records its fields, an unknown
   * field is refused by name (as the local store refuses a key with no filter column) rather than
   * matching nothing, or being refused by a strict-mode server for lack of an index.
   */
  private async qdrantFilterOf(name: string, read: FilterReader | undefined): Promise<Schemas['Filter'] | undefined> {
    if (read === undefined) return undefined;
    const types = await this.fieldTypes(name);
    const filter = read(types);
    const fields = filterFields(filter);
    fields.forEach(payloadKey); // a key Qdrant cannot address is refused first, for what it is
    if (Object.keys(types).length > 0) {
      const unknown = fields.find((field) => field !== 'documentId' && !Object.hasOwn(types, field));
      if (unknown !== undefined) throw unknownFieldError(unknown);
    }
    return qdrantFilter(filter, [], types);
  }

  private async createIndexes(physical: string, indexes: readonly PayloadIndex[]): Promise<void> {
    for (const index of indexes) {
      await this.connection.result({ action: `index payload field ${index.field_name}`, collection: physical }, (api, init) =>
        api.createFieldIndex({ collection_name: physical, wait: true, ...index }, init),
      );
    }
  }

  /** A PATCH of the collection; a long timeout, as one that changes optimizers waits for them. */
  private async patchCollection(physical: string, name: string, action: string, body: Schemas['UpdateCollection']): Promise<void> {
    await this.connection.result({ action, collection: name, timeoutMs: OPTIMIZER_CHANGE_TIMEOUT_MS }, (api, init) =>
      api.updateCollection({ collection_name: physical, ...body }, init),
    );
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

/**
 * A refused query as the user should read it. No spec is read before a query (it would cost a round
 * trip), so a wrong query length is named from Qdrant's own dimension check.
 */
function queryError(name: string, err: unknown, vectors: readonly Float32Array[]): unknown {
  if (isEmbedlineError(err) && err.code === 'COLLECTION_MISMATCH' && vectors.length > 0) {
    const expected = /expected dim: (\d+)/.exec(err.message)?.[1];
    const wrong = vectors.find((v) => String(v.length) !== expected) ?? vectors[0];
    return vectorDimsError(name, 'the query vector', wrong.length, expected === undefined ? undefined : Number(expected));
  }
  return err;
}
