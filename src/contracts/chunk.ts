// A chunk: one window of a document's text that becomes one vector. Producers make them, jobs carry
// them, workers embed them, stores keep them as payload.

export type MetadataScalar = string | number | boolean;
/** A scalar, null, or an array of one scalar type (keyword arrays like tags; a filter on it means "contains"). */
export type MetadataValue = MetadataScalar | null | string[] | number[] | boolean[];
export type Metadata = Record<string, MetadataValue>;

export interface Chunk {
  documentId: string;
  chunkIndex: number;
  /** The exact source substring: text === document.slice(start, end). */
  text: string;
  /** Character offsets (UTF-16 code units, as JavaScript strings index) into the document text. */
  start: number;
  end: number;
  /** Token count including the model's special tokens. */
  tokens: number;
  /**
   * `<sha256 of the whole document's text, metadata and chunk settings>.<its chunk count>`: unchanged
   * hash = nothing to re-embed, once that many chunks carry it. Older collections hold the bare sha256.
   */
  contentHash: string;
  metadata: Metadata;
}
