// What a collection holds of each document, for the producer's "is it current?" check: chunk 0's
// contentHash, how many stored chunks carry that same hash and how many carry another. A document
// counts as current only when the first number equals its chunk count and the second is 0 (a
// document whose chunks went into two jobs can keep chunk 0 and lose the rest, so chunk 0 alone
// proves nothing; a writer killed between its write and its clean-up can leave an older version's
// chunks beside a whole newer one, so a whole set alone proves nothing either).

export interface StoredDocument {
  /** contentHash of the stored chunk 0. */
  contentHash: string;
  /** Stored chunks of this document whose contentHash equals chunk 0's (chunk 0 included). */
  chunks: number;
  /** Stored chunks of this document with another contentHash (an older version's left beside it). */
  otherChunks: number;
}

/** One stored chunk as the tally reads it. */
export interface ChunkHash {
  documentId: string;
  chunkIndex: number;
  contentHash: string;
  /** The write version the chunk was stored for (0: stored before versions). */
  version: number;
}

/** Folds chunk rows (any order, any number of documents) into one StoredDocument per document that has a chunk 0. */
export class StoredDocumentTally {
  private readonly hashes = new Map<string, string[]>();
  private readonly firstChunk = new Map<string, string>();

  add(row: ChunkHash): void {
    if (row.chunkIndex === 0) this.firstChunk.set(row.documentId, row.contentHash);
    const list = this.hashes.get(row.documentId);
    if (list) list.push(row.contentHash);
    else this.hashes.set(row.documentId, [row.contentHash]);
  }

  result(): Map<string, StoredDocument> {
    const documents = new Map<string, StoredDocument>();
    for (const [documentId, contentHash] of this.firstChunk) {
      const hashes = this.hashes.get(documentId) ?? [];
      const chunks = hashes.filter((h) => h === contentHash).length;
      documents.set(documentId, { contentHash, chunks, otherChunks: hashes.length - chunks });
    }
    return documents;
  }
}
