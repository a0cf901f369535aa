// The retrieval sets bench/search-quality scores dense, keyword and hybrid search on, all built
// from data in the repository or ../shared (nothing hidden, nothing downloaded):
// - sts: STS-b dev as a retrieval set. Documents: every distinct second sentence of the 1,500 dev
//   pairs; queries: the first sentence of each pair graded ≥ 4 (near-paraphrases), expected: its
//   second sentence. Paraphrase retrieval: the embedding's home ground.
// - articles: the sample corpus (samples/articles.csv, title + body) and its 12 written queries.
// - keyword: queries that are a single identifier, code or rare name, drawn from the articles and
//   the STS documents (keyword-set.ts): what an embedding does not know.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStsFile } from '../../src/eval/sts.ts';
import type { RelevanceQuery } from '../../src/eval/retrieval.ts';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const STS_DEV = join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv');
/** Pairs graded at least this similar count as "the second sentence answers the first". */
const STS_RELEVANT_SCORE = 4;

export interface CorpusDoc {
  id: string;
  text: string;
}

export interface Corpus {
  name: string;
  docs: CorpusDoc[];
}

export interface QuerySet {
  name: string;
  /** What the set is, for the report. */
  about: string;
  corpus: Corpus;
  queries: RelevanceQuery[];
}

export function stsCorpusAndQueries(): { corpus: Corpus; queries: RelevanceQuery[] } {
  const pairs = readStsFile(STS_DEV);
  const idOf = new Map<string, string>();
  const docs: CorpusDoc[] = [];
  for (const { second } of pairs) {
    if (idOf.has(second)) continue;
    idOf.set(second, `sts-${docs.length}`);
    docs.push({ id: idOf.get(second) as string, text: second });
  }
  const seen = new Set<string>();
  const queries = pairs
    .filter((p) => p.score >= STS_RELEVANT_SCORE && p.first !== p.second)
    .filter((p) => !seen.has(p.first) && Boolean(seen.add(p.first)))
    .map((p) => ({ query: p.first, expected: [idOf.get(p.second) as string] }));
  return { corpus: { name: 'sts', docs }, queries };
}

interface ArticleRow {
  id: string;
  title: string;
  body: string;
}

export function articlesCorpusAndQueries(): { corpus: Corpus; queries: RelevanceQuery[] } {
  const rows = parseCsv(readFileSync(join(PROJECT_ROOT, 'samples', 'articles.csv'), 'utf8'));
  const docs = rows.map((r) => ({ id: r.id, text: `${r.title}\n\n${r.body}` }));
  const queries = readFileSync(join(PROJECT_ROOT, 'samples', 'queries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { query: string; expected: string })
    .map((q) => ({ query: q.query, expected: [q.expected] }));
  return { corpus: { name: 'articles', docs }, queries };
}

/** RFC 4180 CSV (quoted fields with "" escapes and newlines), as samples/make_articles.py writes it. */
function parseCsv(text: string): ArticleRow[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n') record.push(field), records.push(record), (record = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field !== '' || record.length > 0) record.push(field), records.push(record);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])) as unknown as ArticleRow);
}
