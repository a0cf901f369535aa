// The narrow interface a storage backend implements: primitive reads and writes, nothing else.
// Every rule both backends share — collection names, spec and dims checks, versioned names behind
// an alias, k and fromChunk checks, filters read through recorded field types, listings — lives
// once in checked-store.ts, which turns any StoreAdapter into a VectorStore. So an adapter receives
// names already checked, specs already validated, points already deduplicated and dims-checked, and
// filters as a reader that converts values to their fields' recorded types (FilterReader).
//
// Names: `physical` means a real table / Qdrant collection (`docs__v2`); `name` may also be an alias
// (`docs`), which the backend resolves itself (Qdrant does so server side, at no extra request).
import type { Chunk } from '../contracts/chunk.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import type { ScoreFloor } from '../contracts/score-floor.ts';
import type { FieldTypes } from './field-types.ts';
import type { ChunkHash } from './stored-documents.ts';
import type { CollectionInfo, StoredPoint, TextQuery } from './vector-store.ts';

/** What the shared layer needs of an open collection; a backend adds its own handles (table, raw info). */
export interface RecordedCollection {
  spec: CollectionSpec;
}

/** A collection as described by the backend; the shared layer adds the name and version. */
export type StoredCollectionInfo = Omit<CollectionInfo, 'name' | 'version'>;

/**
 * A non-empty filter, to be read through the collection's recorded field types: the backend passes
 * the types it has at hand (no extra read), the shared layer does the reading (values converted to
 * their fields' types, or refused by name).
 */
export type FilterReader = (types: FieldTypes) => Filter;

/** One stored point from a full scan; `vector` only when asked for. */
export interface ScannedPoint {
  id: string;
  chunk: Chunk;
  vector?: Float32Array;
  /** The point's write version; only when vectors are asked for (a copy keeps it). */
  version?: number;
}

export interface StoreAdapter<C extends RecordedCollection = RecordedCollection> {
  /** Short name for logs and `status`: "local" or "qdrant". */
  readonly kind: string;

  // -- catalogue ----------------------------------------------------------------------------
  /** Every physical collection; also the store's one cheap round trip for health checks. */
  physicalNames(): Promise<string[]>;
  /** Alias → the physical collection it points at. */
  aliases(): Promise<Map<string, string>>;
  /** Points `alias` at `physical` in one atomic step, or removes it (undefined). */
  setAlias(alias: string, physical: string | undefined): Promise<void>;
  /** The collection behind a name or alias; undefined when missing, COLLECTION_MISMATCH when not embedline's. */
  read(name: string): Promise<C | undefined>;
  /** Creates a physical collection recording `spec`; false when it existed already (another creator won). */
  create(physical: string, spec: CollectionSpec): Promise<boolean>;
  /** Backend upkeep once a collection was created or found (Qdrant: payload indexes it lacks). */
  settle?(name: string, collection: C): Promise<void>;
  /** Records the "no close match" floor with a physical collection; describe reports it. */
  recordScoreFloor(physical: string, floor: ScoreFloor): Promise<void>;
  /** Dropping what is already gone is done, not an error. */
  drop(physical: string): Promise<void>;
  /** Spec, counts, fields (and server indexing state) of a physical collection; undefined when missing. */
  describe(physical: string): Promise<StoredCollectionInfo | undefined>;

  // -- points -------------------------------------------------------------------------------
  /**
   * Writes points (unique ids, right dims), recording new metadata field types first. Conditional:
   * a stored point is replaced only if its version is not newer than the new point's (points from
   * before versions count as 0); a point with a new id is inserted regardless.
   */
  upsert(name: string, points: StoredPoint[], collection: C): Promise<void>;
  /** Chunks >= fromChunk of a document; with upToVersion, only those of that version or older. */
  deleteDocument(name: string, documentId: string, fromChunk: number, upToVersion?: number): Promise<void>;
  /** Sets `version` on the chunks of these documents (id → contentHash) that carry that hash and an older version. */
  claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void>;
  /** The newest `version` any point carries (0 when none does). */
  highestVersion(name: string): Promise<number>;
  /** Every stored chunk of these documents (ids unique, at least one): id, index, hash and version only. */
  chunkHashes(name: string, documentIds: readonly string[]): AsyncIterable<ChunkHash>;
  /** Each document once, by its chunk 0. */
  documentIds(name: string): AsyncIterable<string>;
  scan(name: string, withVectors: boolean): AsyncIterable<ScannedPoint>;
  /** One list of hits per vector (at least one), best first. k is a positive integer. */
  search(name: string, vectors: readonly Float32Array[], k: number, filter?: FilterReader, scoreThreshold?: number): Promise<SearchHit[][]>;
  /** Keyword (no vector) or hybrid searches, one list each, best first; KEYWORD_INDEX_MISSING for a collection without a keyword index. */
  searchText(name: string, queries: readonly TextQuery[], k: number, filter?: FilterReader): Promise<SearchHit[][]>;
  count(name: string, filter?: FilterReader): Promise<number>;
  optimize(name: string): Promise<void>;
  beginBulkLoad?(name: string): Promise<void>;
  endBulkLoad?(name: string): Promise<void>;
  close(): Promise<void>;
}
