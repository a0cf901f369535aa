// What the server knows about its collections: the list with model facts and metadata fields, and
// each collection's spec and point count (the count keys the query cache). A collection's facts
// are read from the store at most once per FRESH_MS, so a burst of queries costs one look-up,
// not one each (describing a Lance table takes several milliseconds). A one-off search (CLI,
// library) sets the reuse to 0, so it sees a reindex's switch at once.
import { EmbedlineError } from '../errors.ts';
import type { CollectionInfo, VectorStore } from '../store/vector-store.ts';
import { baseName } from '../store/versioned-name.ts';
import { sampleMetadataFields, type MetadataField } from './metadata-fields.ts';

export interface CollectionSummary {
  name: string;
  points: number;
  documents: number;
  model: string;
  pooling: string;
  dims: number;
  metadataFields: MetadataField[];
}

/** How stale a collection's facts may be: new points show in cached answers within this time. */
export const FRESH_MS = 1000;

export class CollectionCatalog {
  private readonly infos = new Map<string, { at: number; info: Promise<CollectionInfo> }>();
  /** Sampled fields per collection, re-sampled when the point count changes. */
  private readonly fields = new Map<string, { points: number; value: Promise<MetadataField[]> }>();

  constructor(
    private readonly store: VectorStore,
    private readonly now: () => number = Date.now,
    /** How long a description is reused; 0 reads the store on every call. */
    private readonly freshMs = FRESH_MS,
  ) {}

  /** The collection's spec and counts; rejects with COLLECTION_MISSING when it does not exist. */
  describe(name: string): Promise<CollectionInfo> {
    const memo = this.infos.get(name);
    if (memo && this.now() - memo.at < this.freshMs) return memo.info;
    const info = this.store.describe(name).then(async (found) => {
      if (!found) throw new EmbedlineError('COLLECTION_MISSING', `collection "${name}" does not exist`, { details: { collection: name } });
      const collection = await this.versionOwner(found);
      if (collection !== undefined) {
        throw new EmbedlineError('COLLECTION_MISSING', `collection "${name}" does not exist ("${name}" is a stored version of "${collection}": use "${collection}")`, {
          details: { collection: name },
        });
      }
      return found;
    });
    this.infos.set(name, { at: this.now(), info });
    info.catch(() => this.infos.delete(name));
    return info;
  }

  /**
   * The collection whose stored version `info` is when it was reached by its physical name
   * (`docs__v1` behind the alias `docs`), else undefined. Such versions are not listed, and searches
   * name collections, so they are not searchable either: a reindex would switch the alias away.
   */
  private async versionOwner(info: CollectionInfo): Promise<string | undefined> {
    const base = baseName(info.name);
    if (base === undefined || info.version !== info.name) return undefined;
    const owner = await this.store.describe(base);
    // The base name is an alias (it resolves to a physical name other than itself).
    return owner !== undefined && owner.version !== base ? base : undefined;
  }

  async list(): Promise<CollectionSummary[]> {
    const infos = await this.store.listCollections();
    return Promise.all(
      infos.map(async (info) => ({
        name: info.name,
        points: info.points,
        documents: info.documents,
        model: info.spec.model,
        pooling: info.spec.pooling,
        dims: info.spec.dims,
        metadataFields: await this.metadataFields(info.name, info.points),
      })),
    );
  }

  private metadataFields(name: string, points: number): Promise<MetadataField[]> {
    const memo = this.fields.get(name);
    if (memo && memo.points === points) return memo.value;
    const value = sampleMetadataFields(this.store, name);
    this.fields.set(name, { points, value });
    value.catch(() => this.fields.delete(name));
    return value;
  }
}
