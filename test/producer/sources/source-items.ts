// Views of a source's output that make test assertions short: documents and rejects apart.
import type { SourceDocument, SourceItem, SourceReject } from '../../../src/producer/sources/source-item.ts';

export function documentsOf(items: SourceItem[]): SourceDocument[] {
  return items.filter((item): item is SourceDocument => item.kind === 'document');
}

export function rejectsOf(items: SourceItem[]): SourceReject[] {
  return items.filter((item): item is SourceReject => item.kind === 'reject');
}

/** Line and reason of each reject: what a user reads in the rejects file. */
export function rejectSummary(items: SourceItem[]): Array<[number, string]> {
  return rejectsOf(items).map((reject) => [reject.line, reject.reason]);
}
