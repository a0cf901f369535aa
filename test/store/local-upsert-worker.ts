// A worker process for the local store's concurrency test: ensures the collection (racing the other
// worker to create it), then upserts its own points in many small commits, each batch bringing a
// metadata key of its own so the workers also race to add filter columns.
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { seededVectors, testPoint, testSpec } from './store-fixtures.ts';

const [dataDir, collection, worker, total, batchSize] = process.argv.slice(2);
const count = Number(total);
const batch = Number(batchSize);
const store = openLocalStore(dataDir);
await store.ensureCollection(collection, testSpec(8));
const vectors = seededVectors(count, 8, Number(worker) + 1);
for (let start = 0; start < count; start += batch) {
  const points = [];
  for (let i = start; i < Math.min(count, start + batch); i++) {
    points.push(testPoint(collection, `w${worker}-doc${i}`, 0, vectors[i], { metadata: { worker: Number(worker), [`w${worker}_batch${start / batch}`]: true } }));
  }
  await store.upsert(collection, points);
}
await store.close();
