// A document's content hash: equal hashes mean the stored chunks are still right, so the document
// is not re-embedded. It covers everything that decides the chunks: the text, the metadata (copied
// into every chunk), the chunk settings and the chunker's version. Chunks store it with the
// document's chunk count appended (`<sha256>.<count>`), so a re-run can tell a complete document
// from one that kept chunk 0 but lost others.
import { createHash } from 'node:crypto';
import type { Metadata } from '../../contracts/chunk.ts';
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

/** What every chunk of a document stores as its contentHash: the document's hash and its chunk count. */
export function chunkSetHash(hash: string, chunkCount: number): string {
  return `${hash}.${chunkCount}`;
}

/**
 * Reads a stored contentHash back. Collections written before the count was recorded hold the bare
 * hash: chunkCount is then undefined and the caller must chunk the document to know it.
 */
export function splitChunkSetHash(stored: string): { hash: string; chunkCount?: number } {
  const dot = stored.lastIndexOf('.');
  const count = dot < 0 ? NaN : Number(stored.slice(dot + 1));
  return Number.isInteger(count) && count > 0 ? { hash: stored.slice(0, dot), chunkCount: count } : { hash: stored };
}
