// The Qdrant vector store: the shared rules (checked-store.ts) over the Qdrant backend.
import { CheckedStore } from '../checked-store.ts';
import { QdrantAdapter, type QdrantCollection, type QdrantStoreOptions } from './qdrant-adapter.ts';

export type { QdrantStoreOptions } from './qdrant-adapter.ts';

export class QdrantVectorStore extends CheckedStore<QdrantCollection> {
  constructor(options: QdrantStoreOptions) {
    super(new QdrantAdapter(options));
  }
}
