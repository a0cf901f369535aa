// A document's content hash: equal hashes mean the stored chunks are still right, so the document
// is not re-embedded. It covers everything that decides the chunks: the text, the metadata (copied
// into every chunk), the chunk settings and the chunker's version.
import { createHash } from 'node:crypto';
import type { Metadata } from '../contracts/chunk.ts';
import { CHUNKER_VERSION, type ChunkSettings } from './chunk-settings.ts';

export function contentHash(doc: { text: string; metadata: Metadata }, settings: ChunkSettings): string {
  // Sorted keys: the same metadata hashes the same whatever order a source produced it in.
  const metadata = Object.keys(doc.metadata)
    .sort()
    .map((key) => [key, doc.metadata[key]]);
  const header = JSON.stringify({ chunker: CHUNKER_VERSION, chunkTokens: settings.chunkTokens, overlap: settings.overlap, metadata });
  // JSON never contains a raw newline, so the first one unambiguously ends the header; the text
  // follows as is, without a copy through JSON.stringify.
  return createHash('sha256').update(header).update('\n').update(doc.text).digest('hex');
}
