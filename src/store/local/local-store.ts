// The embedded vector store: the shared rules (checked-store.ts) over the LanceDB backend.
import { CheckedStore } from '../checked-store.ts';
import { indexThresholds, type IndexThresholds } from './index-policy.ts';
import { LocalAdapter, type LocalCollection } from './local-adapter.ts';

export class LocalVectorStore extends CheckedStore<LocalCollection> {
  constructor(
    readonly dataDir: string,
    options: Partial<IndexThresholds> = {},
  ) {
    super(new LocalAdapter(dataDir, indexThresholds(options)));
  }
}
