// The default, embedded vector store: one LanceDB table per collection under a data folder, shared
// safely by several worker processes (Lance commits are optimistic; see commit-retry.ts).
import { connect, Index, type Connection, type Table } from '@lancedb/lancedb';
import type { Chunk } from '../../contracts/chunk.ts';
import { checkCollectionName, checkPhysicalCollectionName } from '../../contracts/collection-name.ts';
import { specDifferences, specMismatchMessage, type CollectionSpec } from '../../contracts/collection-spec.ts';
import type { Filter } from '../../contracts/filter.ts';
import type { SearchHit } from '../../contracts/search-hit.ts';
import { EmbedlineError } from '../../errors.ts';
import { coerceFilter, fieldTypeChanges, type FieldTypes } from '../field-types.ts';
import { latestPerId } from '../latest-per-id.ts';
import { checkVectorDims } from '../vector-dims.ts';
import { StoredDocumentTally, type StoredDocument } from '../stored-documents.ts';
import type { CollectionInfo, StoredPoint, VectorStore } from '../vector-store.ts';
import { baseName, nextVersionName, versionName, versionsAmong } from '../versioned-name.ts';
import { AliasRegistry } from './alias-registry.ts';
import { retryCommitRaces } from './commit-retry.ts';
import { filterSql } from './filter-sql.ts';
import { annSearchParams, indexThresholds, vectorIndexNeedsBuild, type IndexThresholds } from './index-policy.ts';
import { isTableMissing, storeError } from './lance-errors.ts';
import { isMetadataColumn, metadataColumn } from './metadata-columns.ts';
import { chunkFromRow, hitFromRow, rowFromPoint, type LanceRow } from './point-rows.ts';
import { lanceDistanceType, scoreFromDistance } from './scores.ts';
import { sqlAnd, sqlColumn, sqlNumber, sqlString } from './sql.ts';
import { COLUMNS, PAYLOAD_COLUMNS, fieldTypesFromSchema, fieldTypeUpdates, specFromSchema, tableSchema } from './table-layout.ts';

/** An open collection: its table, recorded spec, current column names and recorded field types. */
interface Collection {
  table: Table;
  spec: CollectionSpec;
  columns: Set<string>;
  fields: FieldTypes;
}

/** documentHashes asks Lance about this many ids per query, keeping the SQL text bounded. */
const IDS_PER_QUERY = 500;
const FIRST_CHUNK = `${sqlColumn(COLUMNS.chunkIndex)} = 0`;

export class LocalVectorStore implements VectorStore {
  readonly kind = 'local';
  private readonly thresholds: IndexThresholds;
  private connection?: Promise<Connection>;
  /** Open tables by physical name: an alias switch by another process must not hit a stale entry. */
  private readonly tables = new Map<string, Promise<Table>>();
  private readonly aliases: AliasRegistry;

  constructor(
    readonly dataDir: string,
    options: Partial<IndexThresholds> = {},
  ) {
    this.thresholds = indexThresholds(options);
    this.aliases = new AliasRegistry(dataDir);
  }

  /**
   * A new collection is created as version 1 behind its alias; an existing one (alias, or a table
   * of that name made before versioning) is checked against the spec.
   */
  async ensureCollection(name: string, spec: CollectionSpec): Promise<void> {
    checkCollectionName(name);
    if (this.aliases.target(name) === undefined && !(await this.tableExists(name))) {
      const first = versionName(name, 1);
      await this.ensurePhysical(first, spec);
      // Two processes creating at once both land here and both write the same mapping.
      if (this.aliases.target(name) === undefined) this.aliases.set(name, first);
    }
    await this.ensurePhysical(name, spec);
  }

  async versions(name: string): Promise<string[]> {
    checkCollectionName(name);
    return versionsAmong(name, await this.tableNames());
  }

  async createVersion(name: string, spec: CollectionSpec): Promise<string> {
    const physical = nextVersionName(name, await this.tableNames());
    await this.ensurePhysical(physical, spec);
    return physical;
  }

  async activateVersion(name: string, physical: string): Promise<string | undefined> {
    checkCollectionName(name);
    await this.collection(physical); // refuse to point at a missing or foreign table
    return this.aliases.set(name, physical);
  }

  async ping(): Promise<void> {
    await this.tableNames();
  }

  private async tableExists(physical: string): Promise<boolean> {
    return (await this.tableNames()).includes(physical);
  }

  private async tableNames(): Promise<string[]> {
    return this.guard('*', 'list collections', async () => (await this.db()).tableNames());
  }

  private async ensurePhysical(name: string, spec: CollectionSpec): Promise<void> {
    checkPhysicalCollectionName(name);
    if (!Number.isInteger(spec.dims) || spec.dims <= 0) {
      throw new EmbedlineError('BAD_REQUEST', `collection spec dims must be a positive integer, got ${spec.dims}`);
    }
    await this.guard(name, 'create the collection', async () => {
      // Open, else create; a create that loses the race to another process ("already exists")
      // goes round again and opens the winner's table, whose spec is then compared like any other.
      await retryCommitRaces(async () => {
        try {
          return await this.table(name);
        } catch (err) {
          if (!(err instanceof EmbedlineError && err.code === 'COLLECTION_MISSING')) throw err;
        }
        const db = await this.db();
        const created = db.createEmptyTable(name, tableSchema(spec), { mode: 'create' });
        this.tables.set(name, created);
        return created.catch((err: unknown) => {
          this.tables.delete(name);
          throw err;
        });
      });
      const { spec: recorded } = await this.collection(name);
      const differences = specDifferences(recorded, spec);
      if (differences.length > 0) {
        throw new EmbedlineError('COLLECTION_MISMATCH', specMismatchMessage(name, recorded, spec), {
          details: { collection: name, differences },
        });
      }
    });
  }

  async describe(name: string): Promise<CollectionInfo | undefined> {
    try {
      return await this.guard(name, 'describe the collection', async () => this.info(name, await this.collection(name)));
    } catch (err) {
      if (err instanceof EmbedlineError && err.code === 'COLLECTION_MISSING') return undefined;
      throw err;
    }
  }

  /** Collections by name: aliases, plus tables from before versioning; versions are not listed. */
  async listCollections(): Promise<CollectionInfo[]> {
    const aliases = this.aliases.all();
    const tables = await this.tableNames();
    const names = [...Object.keys(aliases), ...tables.filter((t) => !(baseName(t) !== undefined && baseName(t)! in aliases) && !(t in aliases))].sort();
    const infos: CollectionInfo[] = [];
    for (const name of names) {
      try {
        const info = await this.describe(name);
        if (info) infos.push(info);
      } catch (err) {
        // A table some other tool put in the folder is not a collection; anything else is real.
        if (!(err instanceof EmbedlineError && err.code === 'COLLECTION_MISMATCH')) throw err;
      }
    }
    return infos;
  }

  async upsert(name: string, points: StoredPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.guard(name, 'write points', async () => {
      const { table, spec } = await this.collection(name);
      const unique = latestPerId(points);
      for (const point of unique) checkVectorDims(point.vector, spec.dims, name, `point ${point.id}`);
      const keys = new Set(unique.flatMap((p) => Object.keys(p.chunk.metadata)));
      await retryCommitRaces(async () => {
        // Re-read the schema on every attempt: another worker may have just added filter columns.
        const schema = await table.schema();
        const columns = new Set(schema.fields.map((f) => f.name));
        const missing = [...new Set([...keys].map(metadataColumn))].filter((c) => !columns.has(c));
        if (missing.length > 0) await table.addColumns(missing.map((c) => ({ name: c, valueSql: 'CAST(NULL AS STRING)' })));
        // Each field's type is recorded on its filter column, once, before its first value lands.
        const changes = fieldTypeChanges(fieldTypesFromSchema(schema), unique.map((p) => p.chunk.metadata));
        if (Object.keys(changes).length > 0) await table.updateFieldMetadata(fieldTypeUpdates(changes));
        const filterColumns = [...columns, ...missing].filter(isMetadataColumn);
        const rows = unique.map((p) => rowFromPoint(p, filterColumns));
        await table.mergeInsert(COLUMNS.id).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
      });
    });
  }

  async deleteDocument(name: string, documentId: string, fromChunk = 0): Promise<void> {
    if (!Number.isInteger(fromChunk) || fromChunk < 0) {
      throw new EmbedlineError('BAD_REQUEST', `fromChunk must be a non-negative integer, got ${fromChunk}`);
    }
    await this.guard(name, 'delete a document', async () => {
      const { table } = await this.collection(name);
      const predicate = sqlAnd(
        `${sqlColumn(COLUMNS.documentId)} = ${sqlString(documentId)}`,
        fromChunk > 0 ? `${sqlColumn(COLUMNS.chunkIndex)} >= ${sqlNumber(fromChunk)}` : undefined,
      ) as string;
      await retryCommitRaces(() => table.delete(predicate));
    });
  }

  async documentHashes(name: string, documentIds: readonly string[]): Promise<Map<string, StoredDocument>> {
    return this.guard(name, 'read document hashes', async () => {
      const { table } = await this.collection(name);
      const tally = new StoredDocumentTally();
      const ids = [...new Set(documentIds)];
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
        const list = ids.slice(i, i + IDS_PER_QUERY).map(sqlString).join(', ');
        // Every chunk, not just chunk 0: a document is current only when all its chunks are stored.
        const rows = await table
          .query()
          .where(`${sqlColumn(COLUMNS.documentId)} IN (${list})`)
          .select([COLUMNS.documentId, COLUMNS.chunkIndex, COLUMNS.contentHash])
          .toArray();
        for (const row of rows) tally.add({ documentId: row[COLUMNS.documentId], chunkIndex: Number(row[COLUMNS.chunkIndex]), contentHash: row[COLUMNS.contentHash] });
      }
      return tally.result();
    });
  }

  /** Streams the ids batch by batch: each document is listed once, by its chunk 0. */
  async *documentIds(name: string): AsyncIterable<string> {
    for await (const row of this.scan(name, [COLUMNS.documentId], FIRST_CHUNK)) yield row[COLUMNS.documentId] as string;
  }

  async *chunks(name: string): AsyncIterable<Chunk> {
    for await (const row of this.scan(name, PAYLOAD_COLUMNS)) yield chunkFromRow(row);
  }

  async *points(name: string): AsyncIterable<StoredPoint> {
    for await (const row of this.scan(name, [...PAYLOAD_COLUMNS, COLUMNS.vector])) {
      yield { id: row[COLUMNS.id] as string, vector: Float32Array.from(row[COLUMNS.vector] as Iterable<number>), chunk: chunkFromRow(row) };
    }
  }

  async search(name: string, vector: Float32Array, k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[]> {
    if (!Number.isInteger(k) || k < 1) throw new EmbedlineError('BAD_REQUEST', `k must be a positive integer, got ${k}`);
    return this.guard(name, 'search', async () => {
      const { table, spec, columns, fields } = await this.collection(name);
      checkVectorDims(vector, spec.dims, name, 'the query vector');
      const where = filterSql(coerceFilter(filter, fields), columns);
      const { ef, refineFactor } = annSearchParams(k);
      let query = table
        .vectorSearch(vector)
        .distanceType(lanceDistanceType(spec.distance))
        .limit(k)
        .ef(ef)
        .refineFactor(refineFactor)
        .select([...PAYLOAD_COLUMNS, '_distance']);
      if (where) query = query.where(where);
      const rows: LanceRow[] = await query.toArray();
      // The top k are exact (prefiltered) before the threshold, so dropping the weak tail is exact too.
      return rows
        .map((row) => hitFromRow(row, scoreFromDistance(row._distance as number)))
        .filter((hit) => scoreThreshold === undefined || hit.score >= scoreThreshold)
        .sort((a, b) => b.score - a.score);
    });
  }

  /** Lance has no batch query: the searches run side by side. */
  async searchBatch(name: string, vectors: readonly Float32Array[], k: number, filter?: Filter, scoreThreshold?: number): Promise<SearchHit[][]> {
    return Promise.all(vectors.map((vector) => this.search(name, vector, k, filter, scoreThreshold)));
  }

  async count(name: string, filter?: Filter): Promise<number> {
    return this.guard(name, 'count points', async () => {
      const { table, columns, fields } = await this.collection(name);
      return table.countRows(filterSql(coerceFilter(filter, fields), columns));
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
      if (vectorIndexNeedsBuild(rows, vectorStats, this.thresholds)) {
        const config = Index.hnswSq({ distanceType: lanceDistanceType(spec.distance) });
        await retryCommitRaces(() => table.createIndex(COLUMNS.vector, { config, replace: true }));
      }
    });
  }

  async dropCollection(name: string): Promise<void> {
    checkCollectionName(name);
    if (this.aliases.target(name) === undefined) return this.dropTable(name);
    for (const version of await this.versions(name)) await this.dropTable(version);
    this.aliases.set(name, undefined);
  }

  private async dropTable(physical: string): Promise<void> {
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

  async close(): Promise<void> {
    const tables = [...this.tables.values()];
    this.tables.clear();
    for (const table of tables) await table.then((t) => t.close()).catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.then((db) => db.close()).catch(() => undefined);
  }

  private db(): Promise<Connection> {
    // Strong read consistency: every read checks for commits by other processes (a manifest stat),
    // so a search server sees what the workers wrote as soon as their upsert returns.
    this.connection ??= connect(this.dataDir, { readConsistencyInterval: 0 });
    return this.connection;
  }

  /** The table behind a name: through its alias when it has one, else the table of that name. */
  private table(name: string): Promise<Table> {
    checkPhysicalCollectionName(name);
    const physical = this.aliases.target(name) ?? name;
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

  private async collection(name: string): Promise<Collection> {
    const table = await this.table(name);
    const schema = await table.schema();
    const spec = specFromSchema(schema);
    if (spec === undefined) {
      throw new EmbedlineError('COLLECTION_MISMATCH', `"${name}" in ${this.dataDir} is not an embedline collection`, { details: { collection: name } });
    }
    return { table, spec, columns: new Set(schema.fields.map((f) => f.name)), fields: fieldTypesFromSchema(schema) };
  }

  private async info(name: string, { table, spec, fields }: Collection): Promise<CollectionInfo> {
    const [points, documents] = await Promise.all([table.countRows(), table.countRows(FIRST_CHUNK)]);
    return { name, version: this.aliases.target(name) ?? name, spec, points, documents, fields };
  }

  /** Rows of a full-table query, streamed one record batch at a time. */
  private async *scan(name: string, columns: string[], where?: string): AsyncIterable<LanceRow> {
    const { table } = await this.guard(name, 'read the collection', () => this.collection(name));
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
      return await operation();
    } catch (err) {
      const error = storeError(err, name, action);
      if (error.code === 'COLLECTION_MISSING') this.tables.delete(this.aliases.target(name) ?? name);
      throw error;
    }
  }
}
