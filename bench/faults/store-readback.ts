// Reads back every point a collection holds, straight from the store (LanceDB table rows, Qdrant
// scroll pages), with no de-duplication: the raw rows are what the fault suite counts, so a point
// stored twice shows up twice. Payloads are decoded with the adapters' own row/payload codecs.
import { createHash } from 'node:crypto';
import { connect } from '@lancedb/lancedb';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { AliasRegistry } from '../../src/store/local/alias-registry.ts';
import { chunkFromRow, type LanceRow } from '../../src/store/local/point-rows.ts';
import { COLUMNS } from '../../src/store/local/table-layout.ts';
import { chunkFromPayload } from '../../src/store/qdrant/point-payload.ts';

export interface StoredRow {
  id: string;
  documentId: string;
  chunkIndex: number;
  /** sha256 of the whole payload (text, offsets, tokens, content hash, metadata). */
  payloadHash: string;
  vector: Float32Array;
  /** The decoded payload (text, content hash, …): what the version scenarios check. */
  chunk: Chunk;
}

export type StoreLocation = { kind: 'local'; dataDir: string } | { kind: 'qdrant'; url: string };

const QDRANT_PAGE = 512;

export async function readCollection(location: StoreLocation, collection: string): Promise<StoredRow[]> {
  return location.kind === 'local' ? readLocal(location.dataDir, collection) : readQdrant(location.url, collection);
}

function storedRow(id: string, chunk: Chunk, vector: Float32Array): StoredRow {
  const payloadHash = createHash('sha256').update(JSON.stringify(chunk)).digest('hex');
  return { id, documentId: chunk.documentId, chunkIndex: chunk.chunkIndex, payloadHash, vector, chunk };
}

async function readLocal(dataDir: string, collection: string): Promise<StoredRow[]> {
  const db = await connect(dataDir);
  try {
    const table = new AliasRegistry(dataDir).target(collection) ?? collection;
    if (!(await db.tableNames()).includes(table)) return [];
    const rows: LanceRow[] = await (await db.openTable(table)).query().toArray();
    return rows.map((row) => storedRow(row[COLUMNS.id] as string, chunkFromRow(row), Float32Array.from(row[COLUMNS.vector] as ArrayLike<number>)));
  } finally {
    db.close();
  }
}

async function readQdrant(url: string, collection: string): Promise<StoredRow[]> {
  const client = new QdrantClient({ url, checkCompatibility: false });
  const rows: StoredRow[] = [];
  let offset: string | number | Record<string, unknown> | null | undefined;
  try {
    do {
      const page = await client.scroll(collection, { limit: QDRANT_PAGE, offset: offset ?? undefined, with_payload: true, with_vector: true });
      for (const point of page.points) rows.push(storedRow(String(point.id), chunkFromPayload(point.payload), Float32Array.from(point.vector as number[])));
      offset = page.next_page_offset;
    } while (offset !== null && offset !== undefined);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw error;
  }
  return rows;
}
