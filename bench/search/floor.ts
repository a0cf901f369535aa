// The compute floor of a search, measured in the benchmark's own run on the same machine: (a) the
// bare embedder's time per query in batches of 16 (one single-threaded session, as a server's run
// slot has), and (b) the bare store's search time per query (LanceDB, k 10, in batches of 16 as
// the server's store batches send them, and one at a time). Times are CPU time of this process
// (process.cpuUsage counts the session and Lance threads too), so a busy neighbour slows them less
// than wall time; nothing else of ours runs meanwhile. Achievable requests/s on N cores = N / (a + b):
// what a server doing nothing but the model and the index could serve.
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { l2Normalize } from '../../src/embed/vector-math.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { DATA_DIR } from './bench-data.ts';

export const FLOOR_BATCH = 16;
const K = 10;

export interface Floor {
  /** (a) CPU ms per query embedded in batches of FLOOR_BATCH; and one query per run, for comparison. */
  embedMs: number;
  embedAloneMs: number;
  /** (b) CPU ms per query searched in batches of FLOOR_BATCH; and one search at a time. */
  storeMs: number;
  storeAloneMs: number;
  /** cores × 1000 / (embedMs + storeMs). */
  achievablePerSecond: number;
}

/** CPU milliseconds `work` takes, per item. */
async function cpuPerItem(items: number, work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / items;
}

function batchesOf<T>(all: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(all.length / size) }, (_, i) => all.slice(i * size, (i + 1) * size)).filter((b) => b.length === size);
}

export async function measureFloor(collection: string, queries: readonly string[], cores: number): Promise<Floor> {
  const embedder = await loadEmbedder(resolveModelDir(), { threads: 1, sessions: 1 });
  const sequences = embedder.tokenize(queries, true);
  const batches = batchesOf(sequences, FLOOR_BATCH);
  const measured = batches.length * FLOOR_BATCH;
  await embedder.embedTokenIds(batches[0]);
  const embedMs = await cpuPerItem(measured, async () => {
    for (const batch of batches) await embedder.embedTokenIds(batch);
  });
  const embedAloneMs = await cpuPerItem(measured, async () => {
    for (const ids of sequences.slice(0, measured)) await embedder.embedTokenIds([ids]);
  });
  const vectors = (await embedder.embedTokenIds(sequences)).vectors.map(l2Normalize);
  const store = openLocalStore(DATA_DIR);
  try {
    const vectorBatches = batchesOf(vectors, FLOOR_BATCH);
    await store.searchBatch(collection, vectorBatches[0], K);
    const storeMs = await cpuPerItem(measured, async () => {
      for (const batch of vectorBatches) await store.searchBatch(collection, batch, K);
    });
    const storeAloneMs = await cpuPerItem(measured, async () => {
      for (const vector of vectors.slice(0, measured)) await store.search(collection, vector, K);
    });
    return { embedMs, embedAloneMs, storeMs, storeAloneMs, achievablePerSecond: (cores * 1000) / (embedMs + storeMs) };
  } finally {
    await store.close();
  }
}
