// The ingest bench's corpus: documents built from STS-b dev sentences (both columns, file order,
// cycling), 1–3 sentences each and every 10th of 40 sentences, so most documents are one short
// chunk and the long ones are cut into several with overlap. Written as a CSV (id,body) that both
// embedline and the Python pipeline read.
import { writeFileSync } from 'node:fs';

export function buildDocuments(sentences: readonly string[], count: number): string[] {
  const documents: string[] = [];
  let cursor = 0;
  for (let i = 0; i < count; i++) {
    const size = i % 10 === 9 ? 40 : 1 + (i % 3);
    const parts: string[] = [];
    for (let s = 0; s < size; s++) parts.push(sentences[cursor++ % sentences.length]);
    documents.push(parts.join(' '));
  }
  return documents;
}

export function writeCorpusCsv(path: string, documents: readonly string[]): void {
  writeFileSync(path, ['id,body', ...documents.map((d, i) => `d${i},"${d.replace(/"/g, '""')}"`)].join('\n') + '\n');
}
