// What every source yields: a document ready for chunking, or a reject describing a row the source
// could not use. Bad rows are values, not exceptions, so one bad row never stops a run.
import type { Metadata } from '../../contracts/chunk.ts';
import { excerpt } from './excerpt.ts';

export interface SourceDocument {
  kind: 'document';
  id: string;
  text: string;
  metadata: Metadata;
  /** The file the document came from. */
  source: string;
  /** 1-based line where the document's record starts (1 for a whole file). */
  line: number;
}

export interface SourceReject {
  kind: 'reject';
  source: string;
  line: number;
  reason: string;
  /** The start of the offending record, at most EXCERPT_MAX_CHARS characters. */
  excerpt: string;
}

export type SourceItem = SourceDocument | SourceReject;

export function rejectItem(source: string, line: number, reason: string, text: string): SourceReject {
  return { kind: 'reject', source, line, reason, excerpt: excerpt(text) };
}
