// The fault suite's corpus: a CSV of N short documents built from STS-b sentences, the same
// every time for the same N (no randomness), so a clean run and a faulted run index the same thing.
// Most documents are one to three sentences (one chunk); every tenth is a long passage of several
// chunks, so the faults also hit documents whose chunks travel in different jobs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { stsSentences } from '../embed/texts.ts';

export interface Corpus {
  path: string;
  documents: number;
  /** The `ingest` arguments that read this CSV (source, columns), without the collection. */
  ingestArgs: string[];
}

const CATEGORIES = ['news', 'forum', 'captions', 'headlines'];
/** Sentences in a long document: ~40 sentences of ~12 tokens ≈ 2–3 chunks of 254 tokens. */
const LONG_DOCUMENT_SENTENCES = 40;

export function writeCorpus(dir: string, documents: number): Corpus {
  const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
  const rows = ['id,body,category'];
  let next = 0;
  const take = (count: number) => Array.from({ length: count }, () => sentences[next++ % sentences.length]).join(' ');
  for (let i = 0; i < documents; i++) {
    const body = i % 10 === 9 ? take(LONG_DOCUMENT_SENTENCES) : take(1 + (i % 3));
    rows.push(`doc-${i},"${body.replace(/"/g, '""')}",${CATEGORIES[i % CATEGORIES.length]}`);
  }
  const path = join(dir, `corpus-${documents}.csv`);
  writeFileSync(path, rows.join('\n') + '\n');
  return { path, documents, ingestArgs: [path, '--text-column', 'body', '--id-column', 'id', '--metadata-columns', 'category'] };
}
