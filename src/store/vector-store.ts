// The one interface every vector store implements (LanceDB embedded, Qdrant). Both adapters pass
// the same conformance suite (test/store/conformance.ts).
import type { ScoreFloor } from '../contracts/score-floor.ts';
import type { Chunk } from '../contracts/chunk.ts';
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import type { FieldTypes } from './field-types.ts';
import type { StoredDocument } from './stored-documents.ts';

export interface StoredPoint {
  /** UUIDv5 of (collection, documentId, chunkIndex): see point-id.ts. */
  id: string;
  vector: Float32Array;
  chunk: Chunk;
  /**
   * The write version (run number) the point was made for: the store keeps a document's points of
   * its newest version only (write-version.ts). Absent: 0, as for points stored before versions.
   */
  version?: number;
}

/** What a write did: `stored[i]` false when point i was not kept because its document moved on. */
export interface WriteOutcome {
  stored: boolean[];
}

/**
 * How far a server store's ANN index is behind its points. A real Qdrant builds HNSW in the
 * background after a bulk load: until then searches are correct but slower (exact or partly so).
 */
export interface IndexingState {
  /** ready: indexed; optimizing: building now; pending: work due, not started; deferred: a bulk load turned indexing off; failed: see detail. */
  state: 'ready' | 'optimizing' | 'pending' | 'deferred' | 'failed';
  indexedVectors: number;
  detail?: string;
}

/**
 * A keyword or hybrid query: its text (cut into terms by keyword-terms.ts, as the chunks were) and,
 * for a hybrid search, its embedding; the store fuses the two rankings (rank-fusion.ts).
 */
export interface TextQuery {
  text: string;
  /** Present: hybrid (keyword fused with dense); absent: keyword only. */
  vector?: Float32Array;
}

/** How a collection is spread over a Qdrant cluster (store/qdrant/collection-placement.ts). */
export interface CollectionPlacement {
  shards: number;
  /** Copies of each shard. */
  replicationFactor: number;
  /** Copies that must confirm a write before it is answered. */
  writeConsistency: number;
}

export interface CollectionInfo {
  /** The collection's name (an alias of its current version). */
  name: string;
  /** The physical version behind the name, e.g. `docs__v2`. */
  version?: string;
  spec: CollectionSpec;
  points: number;
  documents: number;
  /** Metadata fields and their recorded types (empty for collections from before types were recorded). */
  fields?: FieldTypes;
  /** Server stores only (the embedded store builds its indexes in `optimize`, before it returns). */
  indexing?: IndexingState;
  /** Qdrant only: shards, replication and write consistency the collection was created with. */
  placement?: CollectionPlacement;
  /** The "no close match" floor, once calibrated (`embedline collections calibrate`). */
  scoreFloor?: ScoreFloor;
}

export interface VectorStore {
  /** Short name for logs and `status`: "local" or "qdrant". */
  readonly kind: string;
  /**
   * Creates the collection with this spec, or checks that an existing one was built with the same
   * spec (COLLECTION_MISMATCH otherwise). Safe to call concurrently from several workers.
   */
  ensureCollection(name: string, spec: CollectionSpec): Promise<void>;
  /** undefined when the collection does not exist. */
  describe(name: string): Promise<CollectionInfo | undefined>;
  listCollections(): Promise<CollectionInfo[]>;
  /** One cheap round trip proving the store answers (health checks): no collection is described. */
  ping(): Promise<void>;
  /**
   * Insert-or-replace by id; resolves only once the write is durable and visible to search. A
   * point whose document the store holds at a newer version is not kept (outcome `stored` false),
   * and a document never keeps points of two versions: older ones are removed once a newer lands.
   */
  upsert(name: string, points: StoredPoint[]): Promise<WriteOutcome>;
  /**
   * Deletes a document's chunks with chunkIndex >= fromChunk (0: the whole document); with
   * `upToVersion`, only chunks written for that version or an older one (a newer run's stay).
   */
  deleteDocument(name: string, documentId: string, fromChunk?: number, upToVersion?: number): Promise<void>;
  /**
   * A run that found these documents unchanged claims them for its version: their stored chunks
   * that still carry the given contentHash (chunk 0's, as documentHashes reads it) and an older
   * version get `version`, so a job an older run left behind can no longer replace them.
   */
  claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void>;
  /** Those of these documents the store holds at a version newer than `version`. */
  newerDocuments(name: string, documentIds: readonly string[], version: number): Promise<Set<string>>;
  /**
   * Deletes, for each of these documents, the chunks of older versions still stored beside its
   * newest (what a writer killed between its write and its clean-up leaves; upsert does it itself).
   */
  dropOlderVersions(name: string, documentIds: readonly string[]): Promise<void>;
  /** The newest write version any point of the collection carries; 0 when none does or it is missing. */
  highestVersion(name: string): Promise<number>;
  /**
   * For each of these documents whose chunk 0 the collection holds: chunk 0's contentHash, how
   * many stored chunks carry that hash (all of them only if the document is complete) and how many
   * carry another (an older version's, left beside it).
   */
  documentHashes(name: string, documentIds: readonly string[]): Promise<Map<string, StoredDocument>>;
  /** Every document id in the collection (for --prune). */
  documentIds(name: string): AsyncIterable<string>;
  /** Every stored chunk, in no particular order (for re-embedding into a new version). */
  chunks(name: string): AsyncIterable<Chunk>;
  /** Every stored point with its vector, in no particular order (for `embedline migrate`). */
  points(name: string): AsyncIterable<StoredPoint>;
  search(name: string, vector: Float32Array, k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[]>;
  /** Several searches with the same k and filter, answered in the vectors' order (one request to Qdrant). */
  searchBatch(name: string, vectors: readonly Float32Array[], k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[][]>;
  /**
   * Keyword searches (a query without a vector) or hybrid ones (with one), same k and filter,
   * answered in the queries' order; a hit's score is its keyword score (keyword) or its fused
   * rank score (hybrid). A collection built before keyword indexes existed is refused with
   * KEYWORD_INDEX_MISSING, whose message says to run `embedline reindex`.
   */
  searchText(name: string, queries: readonly TextQuery[], k: number, filter?: Filter): Promise<SearchHit[][]>;
  count(name: string, filter?: Filter): Promise<number>;
  /** Called after a bulk load: build or refresh ANN indexes where the collection is large enough. */
  optimize(name: string): Promise<void>;
  /**
   * Optional bulk-load mode for stores that index as points arrive (Qdrant): begin defers ANN
   * index building for a large load, end (also reached through optimize) turns it back on.
   */
  beginBulkLoad?(name: string): Promise<void>;
  endBulkLoad?(name: string): Promise<void>;
  /**
   * Drops a collection: given a collection name, its alias and every version; given a physical
   * version name (`docs__v1`), just that version. Dropping what is gone is a no-op.
   */
  dropCollection(name: string): Promise<void>;
  /** Records the collection's "no close match" floor (replacing any recorded before). */
  recordScoreFloor(name: string, floor: ScoreFloor): Promise<void>;
  /**
   * Zero-downtime re-embedding. A collection `name` is an alias of a physical version `name__vN`;
   * every operation on `name` reads through the alias. createVersion builds `name__v<N+1>` with a
   * new spec (written to by its physical name); activateVersion moves the alias in one atomic step
   * and returns the previous version, which stays readable by its physical name until dropped.
   */
  versions(name: string): Promise<string[]>;
  createVersion(name: string, spec: CollectionSpec): Promise<string>;
  activateVersion(name: string, physical: string): Promise<string | undefined>;
  close(): Promise<void>;
}
