// Store searches of a search server, batched: searches that become ready in the same turn of the
// event loop (the queries of one ONNX run resolve together) and ask the same of the same collection
// (k, filter, score threshold) go to the store as one searchBatch call: one Qdrant request
// (queryBatchPoints) instead of one each, one table and schema read for LanceDB. A search that
// is alone waits for nothing but the end of the current turn (setImmediate).
import type { Filter } from '../contracts/filter.ts';
import type { SearchHit } from '../contracts/search-hit.ts';
import type { VectorStore } from '../store/vector-store.ts';

export interface StoreQuery {
  k: number;
  filter?: Filter;
  scoreThreshold?: number;
}

interface Group {
  collection: string;
  query: StoreQuery;
  vectors: Float32Array[];
  answers: Array<{ resolve: (hits: SearchHit[]) => void; reject: (err: unknown) => void }>;
}

export class StoreBatches {
  private groups = new Map<string, Group>();

  constructor(
    private readonly store: Pick<VectorStore, 'searchBatch'>,
    /** Called once per store call with its duration. */
    private readonly searched?: (seconds: number, vectors: number) => void,
  ) {}

  /** The top k hits for one vector, from a store call it may share with searches of the same turn. */
  search(collection: string, vector: Float32Array, query: StoreQuery): Promise<SearchHit[]> {
    return new Promise((resolve, reject) => {
      if (this.groups.size === 0) setImmediate(() => this.flush());
      const key = JSON.stringify([collection, query.k, query.filter ?? null, query.scoreThreshold ?? null]);
      let group = this.groups.get(key);
      if (!group) {
        group = { collection, query, vectors: [], answers: [] };
        this.groups.set(key, group);
      }
      group.vectors.push(vector);
      group.answers.push({ resolve, reject });
    });
  }

  private flush(): void {
    const groups = [...this.groups.values()];
    this.groups = new Map();
    for (const group of groups) void this.searchGroup(group);
  }

  private async searchGroup({ collection, query, vectors, answers }: Group): Promise<void> {
    const started = performance.now();
    try {
      const hits = await this.store.searchBatch(collection, vectors, query.k, query.filter, query.scoreThreshold);
      this.searched?.((performance.now() - started) / 1000, vectors.length);
      answers.forEach((answer, i) => answer.resolve(hits[i]));
    } catch (err) {
      // Same collection, k and filter: what failed one of them fails them all.
      for (const answer of answers) answer.reject(err);
    }
  }
}
