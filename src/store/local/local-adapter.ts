// The embedded backend: one LanceDB table per collection under a data folder, shared safely by
// several worker processes (Lance commits are optimistic; see commit-retry.ts). Only what is
// LanceDB's lives here; names, specs, versions and filters are checked by checked-store.ts, and
// names arrive already checked against the naming rule (they become folder names).
import { connect, Index, type Connection, type Table } from '@lancedb/lancedb';
import type { Table as ArrowTable } from 'apache-arrow';
import type { CollectionSpec } from '../../contracts/collection-spec.ts';
import type { ScoreFloor } from '../../contracts/score-floor.ts';
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';
import { fieldTypeChanges, type FieldTypes } from '../field-types.ts';
import type { FilterReader, ScannedPoint, StoreAdapter, StoredCollectionInfo } from '../store-adapter.ts';
import type { ChunkHash } from '../stored-documents.ts';
import { checkVectorDims } from '../vector-dims.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import type { StoredPoint, TextQuery } from '../vector-store.ts';
import { keywordIndexMissing } from '../keyword-index-missing.ts';
import { fuseByRank, fusionDepth } from '../rank-fusion.ts';
import { createKeywordIndex, keywordHits } from './keyword-index.ts';
import { AliasRegistry } from './alias-registry.ts';
import { DataFolder } from './data-folder.ts';
import { retryCommitRaces } from './commit-retry.ts';
import { lockPath, withFileLock } from './file-lock.ts';
import { filterSql } from './filter-sql.ts';
import { annSearchParams, vectorIndexNeedsBuild, type IndexThresholds } from './index-policy.ts';
import { isTableMissing, storeError } from './lance-errors.ts';
import { metadataColumn } from './metadata-columns.ts';
import { pointTable } from './point-batch.ts';
import { chunkFromRow, hitFromRow, versionFromRow, type LanceRow } from './point-rows.ts';
import { lanceDistanceType, scoreFromDistance } from './scores.ts';
import { sqlAnd, sqlColumn, sqlNumber, sqlString } from './sql.ts';
import { COLUMNS, KEYWORDS_COLUMN, PAYLOAD_COLUMNS, VERSION_COLUMN, VERSION_COLUMN_SQL, fieldTypesFromSchema, fieldTypeUpdates, scoreFloorFromSchema, scoreFloorUpdate, specFromSchema, tableSchema } from './table-layout.ts';

/** An open collection: its table, recorded spec, current column names and recorded field types. */
export interface LocalCollection {
  table: Table;
  spec: CollectionSpec;
  columns: Set<string>;
  fields: FieldTypes;
}

/** chunkHashes asks Lance about this many ids per query, keeping the SQL text bounded. */
const IDS_PER_QUERY = 500;
const FIRST_CHUNK = `${sqlColumn(COLUMNS.chunkIndex)} = 0`;
/** A stored row is replaced only by a point of its version or a newer one (null: from before versions). */
const NOT_NEWER_THAN_SOURCE = `target.${sqlColumn(VERSION_COLUMN)} IS NULL OR target.${sqlColumn(VERSION_COLUMN)} <= source.${sqlColumn(VERSION_COLUMN)}`;

export class LocalAdapter implements StoreAdapter<LocalCollection> {
  readonly kind = 'local';
  private connection?: Promise<Connection>;
  /** Open tables by physical name: an alias switch by another process must not hit a stale entry. */
  private readonly tables = new Map<string, Promise<Table>>();
  /** Open tables known to have the version column (see versionedTable). */
  private readonly versionedTables = new WeakSet<Table>();
  private readonly aliasRegistry: AliasRegistry;
  private readonly dataFolder: DataFolder;

  constructor(
    readonly dataDir: string,
    private readonly thresholds: IndexThresholds,
  ) {
    this.aliasRegistry = new AliasRegistry(dataDir);
    this.dataFolder = new DataFolder(dataDir);
  }

  // -- catalogue ----------------------------------------------------------------------------

  async physicalNames(): Promise<string[]> {
    return this.guard('*', 'list collections', async () => (await this.db()).tableNames());
  }

  async aliases(): Promise<Map<string, string>> {
    this.dataFolder.check();
    return new Map(Object.entries(this.aliasRegistry.all()));
  }

  async setAlias(alias: string, physical: string | undefined): Promise<void> {
    await this.guard(alias, 'record the collection name', () => withFileLock(lockPath(this.dataDir, 'aliases'), async () => this.aliasRegistry.set(alias, physical)));
  }

  async read(name: string): Promise<LocalCollection | undefined> {
    return orMissing(this.open(name, 'read the collection'));
  }

  /**
   * Open, else create, one creator at a time (file-lock.ts: LanceDB lets racing creates of one
   * table all succeed, the last schema winning). A create that finds the table there already, or
   * loses to another process anyway ("already exists"), goes round again and finds its table.
   */
  async create(physical: string, spec: CollectionSpec): Promise<boolean> {
    return this.guard(physical, 'create the collection', () =>
      retryCommitRaces(() => withFileLock(lockPath(this.dataDir, `create-${physical}`), async () => {
        if ((await orMissing(this.table(physical))) !== undefined) return false;
        const db = await this.db();
        const created = db.createEmptyTable(physical, tableSchema(spec), { mode: 'create' });
        this.tables.set(physical, created);
        await created.catch((err: unknown) => {
          this.tables.delete(physical);
          throw err;
        });
        // Inside the create lock: no writer can reach the table before its keyword index exists.
        await createKeywordIndex(await created);
        return true;
      })),
    );
  }

  async drop(physical: string): Promise<void> {
    await this.guard(physical, 'drop the collection', async () => {
      const cached = this.tables.get(physical);
      this.tables.delete(physical);
      await cached?.then((t) => t.close()).catch(() => undefined);
      try {
        await (await this.db()).dropTable(physical);
      } catch (err) {
        // Dropping what is already gone is done, not an error: cleanup scripts can run twice.
        if (!isTableMissing(err)) throw err;
      }
    });
  }

  async describe(physical: string): Promise<StoredCollectionInfo | undefined> {
    return orMissing(
      this.guard(physical, 'describe the collection', async () => {
        const { table, spec, fields } = await this.collection(physical);
        const [points, documents, schema] = await Promise.all([table.countRows(), table.countRows(FIRST_CHUNK), table.schema()]);
        const scoreFloor = scoreFloorFromSchema(schema);
        return { spec, points, documents, fields, ...(scoreFloor ? { scoreFloor } : {}) };
      }),
    );
  }

  async recordScoreFloor(physical: string, floor: ScoreFloor): Promise<void> {
    await this.guard(physical, 'record the score floor', async () => {
      const { table } = await this.collection(physical);
      await retryCommitRaces(() => table.updateFieldMetadata([scoreFloorUpdate(floor)]));
    });
  }

  // -- points -------------------------------------------------------------------------------

  async upsert(name: string, points: StoredPoint[], { table }: LocalCollection): Promise<void> {
    await this.guard(name, 'write points', async () => {
      const keys = new Set(points.flatMap((p) => Object.keys(p.chunk.metadata)));
      await retryCommitRaces(async () => {
        // Re-read the schema on every attempt: another worker may have just added filter columns.
        let schema = await table.schema();
        const columns = new Set(schema.fields.map((f) => f.name));
        const missing = [...new Set([...keys].map(metadataColumn))].filter((c) => !columns.has(c));
        const added = missing.map((c) => ({ name: c, valueSql: 'CAST(NULL AS STRING)' }));
        if (!columns.has(VERSION_COLUMN)) added.push({ name: VERSION_COLUMN, valueSql: VERSION_COLUMN_SQL });
        if (added.length > 0) await table.addColumns(added);
        // Each field's type is recorded on its filter column, once, before its first value lands.
        const changes = fieldTypeChanges(fieldTypesFromSchema(schema), points.map((p) => p.chunk.metadata));
        if (Object.keys(changes).length > 0) await table.updateFieldMetadata(fieldTypeUpdates(changes));
        // The batch is built in the schema the table has now, every column of it written.
        if (added.length > 0 || Object.keys(changes).length > 0) schema = await table.schema();
        await table.mergeInsert(COLUMNS.id).whenMatchedUpdateAll({ where: NOT_NEWER_THAN_SOURCE }).whenNotMatchedInsertAll().execute(pointTable(points, schema));
      });
    });
  }

  async deleteDocument(name: string, documentId: string, fromChunk: number, upToVersion?: number): Promise<void> {
    await this.guard(name, 'delete a document', async () => {
      const { table, columns } = await this.collection(name);
      // A table without the version column holds version 0 only: every row is "up to" any version.
      const version = sqlColumn(VERSION_COLUMN);
      const predicate = sqlAnd(
        `${sqlColumn(COLUMNS.documentId)} = ${sqlString(documentId)}`,
        fromChunk > 0 ? `${sqlColumn(COLUMNS.chunkIndex)} >= ${sqlNumber(fromChunk)}` : undefined,
        upToVersion !== undefined && columns.has(VERSION_COLUMN) ? `(${version} IS NULL OR ${version} <= ${sqlNumber(upToVersion)})` : undefined,
      ) as string;
      await retryCommitRaces(() => table.delete(predicate));
    });
  }

  async claimDocuments(name: string, documents: ReadonlyMap<string, string>, version: number): Promise<void> {
    await this.guard(name, 'claim documents', async () => {
      const { table, columns } = await this.collection(name);
      if (!columns.has(VERSION_COLUMN)) await retryCommitRaces(() => table.addColumns([{ name: VERSION_COLUMN, valueSql: VERSION_COLUMN_SQL }]));
      const column = sqlColumn(VERSION_COLUMN);
      const older = `${column} IS NULL OR ${column} < ${sqlNumber(version)}`;
      const entries = [...documents];
      for (let i = 0; i < entries.length; i += IDS_PER_QUERY) {
        const these = entries
          .slice(i, i + IDS_PER_QUERY)
          .map(([id, hash]) => `(${sqlColumn(COLUMNS.documentId)} = ${sqlString(id)} AND ${sqlColumn(COLUMNS.contentHash)} = ${sqlString(hash)})`)
          .join(' OR ');
        const where = sqlAnd(these, older) as string;
        await retryCommitRaces(() => table.update({ where, valuesSql: { [VERSION_COLUMN]: sqlNumber(version) } }));
      }
    });
  }

  async highestVersion(name: string): Promise<number> {
    const { columns } = await this.open(name, 'read write versions');
    if (!columns.has(VERSION_COLUMN)) return 0;
    let highest = 0;
    for await (const row of this.rows(name, [VERSION_COLUMN], `${sqlColumn(VERSION_COLUMN)} IS NOT NULL`)) highest = Math.max(highest, versionFromRow(row));
    return highest;
  }

  async *chunkHashes(name: string, documentIds: readonly string[]): AsyncIterable<ChunkHash> {
    const { table, versioned } = await this.versionedTable(name, 'read document hashes');
    const selected = [COLUMNS.documentId, COLUMNS.chunkIndex, COLUMNS.contentHash, ...(versioned ? [VERSION_COLUMN] : [])];
    for (let i = 0; i < documentIds.length; i += IDS_PER_QUERY) {
      const list = documentIds.slice(i, i + IDS_PER_QUERY).map(sqlString).join(', ');
      // As Arrow columns, not rows: a row object per chunk read through Arrow's visitors cost more than the query's own JS side.
      const found = await this.guard(name, 'read document hashes', () =>
        table
          .query()
          .where(`${sqlColumn(COLUMNS.documentId)} IN (${list})`)
          .select(selected)
          .toArrow(),
      );
      const ids = stringColumn(found, COLUMNS.documentId);
      const hashes = stringColumn(found, COLUMNS.contentHash);
      const chunkIndexes = intColumn(found, COLUMNS.chunkIndex);
      const versions = intColumn(found, VERSION_COLUMN);
      for (let row = 0; row < found.numRows; row++) {
        yield { documentId: ids[row], chunkIndex: chunkIndexes(row), contentHash: hashes[row], version: versions(row) };
      }
    }
  }

  /** Streams the ids batch by batch: each document is listed once, by its chunk 0. */
  async *documentIds(name: string): AsyncIterable<string> {
    for await (const row of this.rows(name, [COLUMNS.documentId], FIRST_CHUNK)) yield row[COLUMNS.documentId] as string;
  }

  async *scan(name: string, withVectors: boolean): AsyncIterable<ScannedPoint> {
    const { columns } = await this.open(name, 'read the collection');
    const versioned = withVectors && columns.has(VERSION_COLUMN);
    for await (const row of this.rows(name, withVectors ? [...PAYLOAD_COLUMNS, COLUMNS.vector, ...(versioned ? [VERSION_COLUMN] : [])] : PAYLOAD_COLUMNS)) {
      const point: ScannedPoint = { id: row[COLUMNS.id] as string, chunk: chunkFromRow(row) };
      if (withVectors) {
        point.vector = Float32Array.from(row[COLUMNS.vector] as Iterable<number>);
        point.version = versionFromRow(row);
      }
      yield point;
    }
  }

  /**
   * The top k chunks of each vector by the embedding's similarity, best first, exact under the
   * filter (prefiltered), from one Lance query (one plan, one read of the table's state): with
   * several vectors Lance runs one plan over them (addQueryVector) and tags each row with its
   * vector's query_index, which costs less CPU than a query each (bench/search: ~2.0 vs ~2.8 ms a
   * vector at 100k, HNSW, 16 at once). Hybrid search takes its dense lists from here too.
   */
  async search(name: string, vectors: readonly Float32Array[], k: number, filter?: FilterReader, scoreThreshold?: number): Promise<SearchHit[][]> {
    return this.guard(name, 'search', async () => {
      const { table, spec, columns, fields } = await this.collection(name);
      for (const vector of vectors) checkVectorDims(vector, spec.dims, name, 'the query vector');
      const where = filterSql(filter?.(fields), columns);
      const { ef, refineFactor } = annSearchParams(k);
      let query = table.vectorSearch(vectors[0]);
      for (const vector of vectors.slice(1)) query = query.addQueryVector(vector);
      query = query
        .distanceType(lanceDistanceType(spec.distance))
        .limit(k)
        .ef(ef)
        .refineFactor(refineFactor)
        .select([...PAYLOAD_COLUMNS, '_distance']);
      if (where) query = query.where(where);
      const rows: LanceRow[] = await query.toArray();
      const hits = vectors.map((): SearchHit[] => []);
      for (const row of rows) {
        const score = scoreFromDistance(row._distance as number);
        // The top k are exact before the threshold, so dropping the weak tail is exact too. One vector's rows carry no query_index.
        if (scoreThreshold === undefined || score >= scoreThreshold) hits[vectors.length > 1 ? Number(row.query_index) : 0].push(hitFromRow(row, score));
      }
      return hits.map((list) => list.sort((a, b) => b.score - a.score));
    });
  }

  /** Keyword: BM25 over the full-text index; hybrid: that and the dense top, fused by rank (rank-fusion.ts). */
  async searchText(name: string, queries: readonly TextQuery[], k: number, filter?: FilterReader): Promise<SearchHit[][]> {
    return this.guard(name, 'search', async () => {
      const { table, spec, columns, fields } = await this.collection(name);
      if (!columns.has(KEYWORDS_COLUMN)) throw keywordIndexMissing(name);
      for (const { vector } of queries) if (vector) checkVectorDims(vector, spec.dims, name, 'the query vector');
      const where = filterSql(filter?.(fields), columns);
      const depth = fusionDepth(k);
      // The dense lists of the hybrid queries: one search() of all their vectors, beside the keyword searches.
      const vectors = queries.flatMap(({ vector }) => (vector ? [vector] : []));
      const dense = vectors.length === 0 ? Promise.resolve([]) : this.search(name, vectors, depth, filter);
      let next = 0;
      return Promise.all(
        queries.map(async ({ text, vector }) => {
          if (!vector) return keywordHits(table, text, k, where);
          const mine = next++;
          const [denseHits, keyword] = await Promise.all([dense.then((lists) => lists[mine]), keywordHits(table, text, depth, where)]);
          return fuseByRank([denseHits, keyword], k);
        }),
      );
    });
  }

  async count(name: string, filter?: FilterReader): Promise<number> {
    return this.guard(name, 'count points', async () => {
      const { table, columns, fields } = await this.collection(name);
      return table.countRows(filterSql(filter?.(fields), columns));
    });
  }

  /**
   * Compacts the fragments many small worker writes leave behind, prunes old versions, folds new
   * rows into existing indexes, and builds the indexes a table has grown into. Rows written after
   * an index was built are still searched (Lance scans unindexed rows flat), just more slowly.
   */
  async optimize(name: string): Promise<void> {
    await this.guard(name, 'optimize', async () => {
      const { table, spec } = await this.collection(name);
      const indexNames = new Map((await table.listIndices()).map((index) => [index.columns[0], index.name]));
      const vectorIndex = indexNames.get(COLUMNS.vector);
      const vectorStats = vectorIndex === undefined ? undefined : await table.indexStats(vectorIndex);
      await retryCommitRaces(() => table.optimize());
      const rows = await table.countRows();
      if (rows >= this.thresholds.scalarMinRows) {
        for (const column of [COLUMNS.id, COLUMNS.documentId]) {
          if (!indexNames.has(column)) await retryCommitRaces(() => table.createIndex(column, { config: Index.btree() }));
        }
      }
      const { columns } = await this.collection(name);
      if (columns.has(KEYWORDS_COLUMN) && !indexNames.has(KEYWORDS_COLUMN)) await retryCommitRaces(() => createKeywordIndex(table));
      if (vectorIndexNeedsBuild(rows, vectorStats, this.thresholds)) {
        const config = Index.hnswSq({ distanceType: lanceDistanceType(spec.distance) });
        await retryCommitRaces(() => table.createIndex(COLUMNS.vector, { config, replace: true }));
      }
    });
  }

  async close(): Promise<void> {
    const tables = [...this.tables.values()];
    this.tables.clear();
    for (const table of tables) await table.then((t) => t.close()).catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((db) => db.close()).catch(() => undefined);
  }

  // -- tables -------------------------------------------------------------------------------

  private db(): Promise<Connection> {
    // Strong read consistency: every read checks for commits by other processes (a manifest stat),
    // so a search server sees what the workers wrote as soon as their upsert returns.
    this.connection ??= connect(this.dataDir, { readConsistencyInterval: 0 });
    return this.connection;
  }

  /** The table behind a name: through its alias when it has one, else the table of that name. */
  private table(name: string): Promise<Table> {
    const physical = this.aliasRegistry.target(name) ?? name;
    let table = this.tables.get(physical);
    if (!table) {
      table = this.db().then((db) => db.openTable(physical));
      this.tables.set(physical, table);
      table.catch(() => this.tables.delete(physical));
    }
    return table.catch((err: unknown) => {
      throw storeError(err, name, 'open the collection');
    });
  }

  private async collection(name: string): Promise<LocalCollection> {
    const table = await this.table(name);
    const schema = await table.schema();
    const spec = specFromSchema(schema);
    if (spec === undefined) {
      throw new EmbedlineError('COLLECTION_MISMATCH', `"${name}" in ${this.dataDir} is not an embedline collection`, { details: { collection: name } });
    }
    return { table, spec, columns: new Set(schema.fields.map((f) => f.name)), fields: fieldTypesFromSchema(schema) };
  }

  private open(name: string, action: string): Promise<LocalCollection> {
    return this.guard(name, action, () => this.collection(name));
  }

  /**
   * The table behind a name and whether it has the version column, which the look-ups of every write
   * ask. A column is never dropped, so once a table has it the schema is not read again for this.
   */
  private async versionedTable(name: string, action: string): Promise<{ table: Table; versioned: boolean }> {
    const table = await this.guard(name, action, () => this.table(name));
    if (this.versionedTables.has(table)) return { table, versioned: true };
    const { columns } = await this.open(name, action);
    if (!columns.has(VERSION_COLUMN)) return { table, versioned: false };
    this.versionedTables.add(table);
    return { table, versioned: true };
  }

  /** Rows of a full-table query, streamed one record batch at a time. */
  private async *rows(name: string, columns: string[], where?: string): AsyncIterable<LanceRow> {
    const { table } = await this.open(name, 'read the collection');
    let query = table.query().select(columns);
    if (where) query = query.where(where);
    try {
      for await (const batch of query) {
        for (const row of batch) yield row as LanceRow;
      }
    } catch (err) {
      throw storeError(err, name, 'read the collection');
    }
  }

  /** Runs one store operation, translating Lance failures and forgetting tables found missing. */
  private async guard<T>(name: string, action: string, operation: () => Promise<T>): Promise<T> {
    try {
      this.dataFolder.check();
      return await operation();
    } catch (err) {
      const error = storeError(err, name, action);
      if (error.code === 'COLLECTION_MISSING') this.tables.delete(this.aliasRegistry.target(name) ?? name);
      throw error;
    }
  }
}

/** A string column of a query's result, whole. */
function stringColumn(found: ArrowTable, column: string): string[] {
  return (found.getChild(column)?.toArray() ?? []) as string[];
}

/** An int column of a query's result by row; null, or a column the table lacks (write_version), reads as 0. */
function intColumn(found: ArrowTable, column: string): (row: number) => number {
  const vector = found.getChild(column);
  if (vector === null) return () => 0;
  if (vector.nullCount > 0) return (row) => Number(vector.get(row) ?? 0);
  const values = vector.toArray() as ArrayLike<number>;
  return (row) => Number(values[row]);
}

/** undefined for a missing collection; every other failure as it is. */
async function orMissing<T>(pending: Promise<T>): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (isEmbedlineError(err) && err.code === 'COLLECTION_MISSING') return undefined;
    throw err;
  }
}
