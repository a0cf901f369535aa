// Versions of one corpus in which every document's text changes (and long documents turn short, so
// a stale job for chunks 0-63 meets a new version of 3 chunks), and the check that a store holds
// one expected text per document exactly: every chunk a piece of that text, chunks 0..n-1 with one
// content hash that records n, no document mixing two versions, no row twice. Shared by the
// versioned-writes tests (which assert the check is clean) and bench/faults/versions.ts (which
// counts what it finds).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../../src/contracts/chunk.ts';

export interface CorpusVersion {
  /** The collection it is ingested into (a Qdrant server is shared by a file's tests). */
  collection: string;
  version: number;
  path: string;
  texts: Map<string, string>;
}

/** Sentence counts per document; the default makes documents 0-2 long (past one 64-chunk job) in odd versions. */
export type Lengths = (doc: number, version: number) => number;
const defaultLengths: Lengths = (doc, version) => (doc < 3 ? (version % 2 === 1 ? 160 : 2) : 1 + ((doc * 7 + version * 3) % 4));

/** Version `version` of a corpus of `documents`: every sentence names the version, so no chunk of one version is text of another. */
export function writeCorpus(dir: string, collection: string, version: number, documents: number, lengths: Lengths = defaultLengths): CorpusVersion {
  const texts = new Map<string, string>();
  for (let doc = 0; doc < documents; doc++) {
    const sentences = Array.from({ length: lengths(doc, version) }, (_, s) => `[v${version}] note ${doc} line ${s} tells of rivers, ferries and the towns along them.`);
    texts.set(`n${doc}`, sentences.join(' '));
  }
  const path = join(dir, `${collection}-v${version}.jsonl`);
  writeFileSync(path, [...texts].map(([id, body]) => JSON.stringify({ id, body })).join('\n') + '\n');
  return { collection, version, path, texts };
}

export const ingestArgs = (corpus: CorpusVersion, extra: string[] = []) => [
  'ingest', corpus.path, '--collection', corpus.collection, '--text-field', 'body', '--id-field', 'id', '--chunk-tokens', '32', '--overlap', '4', '--json', '--no-progress', ...extra,
];

/** What a store holds against one expected text per document. */
export interface VersionCheck {
  /** Documents expected. */
  documents: number;
  /** Rows (chunks) the store holds for the collection, duplicates and strays included. */
  rows: number;
  /** Documents held exactly at their expected text. */
  current: number;
  /** Documents whose every chunk is text of another version. */
  older: number;
  /** Documents mixing chunks of the expected text and of another. */
  mixed: number;
  /** Expected documents with no chunk at all. */
  missing: string[];
  /** Documents in the store that are not expected. */
  extra: string[];
  /** Rows beyond the first for one (document, chunk index). */
  duplicates: number;
  /** Documents of the expected text whose chunks do not form one whole version (indices, hashes, count). */
  malformed: string[];
}

export function checkVersion(chunks: Iterable<Chunk>, expected: ReadonlyMap<string, string>): VersionCheck {
  const byDocument = new Map<string, Chunk[]>();
  let rows = 0;
  for (const chunk of chunks) {
    rows++;
    byDocument.set(chunk.documentId, [...(byDocument.get(chunk.documentId) ?? []), chunk]);
  }
  const check: VersionCheck = { documents: expected.size, rows, current: 0, older: 0, mixed: 0, missing: [], extra: [], duplicates: 0, malformed: [] };
  for (const [id, text] of expected) {
    const held = (byDocument.get(id) ?? []).sort((a, b) => a.chunkIndex - b.chunkIndex);
    check.duplicates += held.length - new Set(held.map((c) => c.chunkIndex)).size;
    const ofText = held.filter((c) => text.includes(c.text)).length;
    if (held.length === 0) check.missing.push(id);
    else if (ofText === 0) check.older++;
    else if (ofText < held.length) check.mixed++;
    if (held.length === 0 || ofText < held.length) continue;
    const hashes = new Set(held.map((c) => c.contentHash));
    const count = Number([...hashes][0]?.split('.').pop());
    if (hashes.size !== 1 || count !== held.length || held.some((c, i) => c.chunkIndex !== i)) {
      check.malformed.push(`${id}: ${held.length} chunks, indices ${held.map((c) => c.chunkIndex).join(',')}, hashes ${[...hashes].join(' ')}`);
    } else check.current++;
  }
  check.extra = [...byDocument.keys()].filter((id) => !expected.has(id));
  return check;
}

export function holdsExactly(check: VersionCheck): boolean {
  return check.current === check.documents && check.extra.length === 0 && check.duplicates === 0;
}

/** The check's findings as lines (empty when the store holds the expected texts exactly). */
export function versionProblems(check: VersionCheck): string[] {
  const problems = [...check.missing.map((id) => `${id}: missing`), ...check.malformed];
  if (check.older > 0) problems.unshift(`${check.older} of ${check.documents} documents back at an older version`);
  if (check.mixed > 0) problems.unshift(`${check.mixed} documents mix chunks of two versions`);
  if (check.extra.length > 0) problems.push(`documents not in the corpus: ${check.extra.join(', ')}`);
  if (check.duplicates > 0) problems.push(`${check.duplicates} rows stored twice`);
  return problems;
}
