// A run's write version (store/write-version.ts): taken once at the start of each ingest, from the
// Redis counter every run shares (so two runs at once get distinct numbers), raised first to the
// newest version the collection holds (so numbers keep growing after a Redis that restarted empty).
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';

export async function takeWriteVersion(store: VectorStore, queue: EmbedQueue, collection: string): Promise<number> {
  return queue.nextWriteVersion(await store.highestVersion(collection));
}
