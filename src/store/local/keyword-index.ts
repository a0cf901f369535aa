// The local store's keyword index: LanceDB's full-text (BM25) index over the keywords column, which
// holds each chunk's terms as store/keyword-terms.ts cuts them, space-joined. So the index must not
// tokenise again: it splits on whitespace only, with no lower-casing, stemming, stop words or
// folding, and a query is the same function's terms. The index is made with the (empty) table;
// rows written later are searched flat until `optimize` folds them in, and deleted or replaced rows
// are never found (LanceDB's deletion files apply to full-text search as to every query).
import { Index, MatchQuery, type Table } from '@lancedb/lancedb';
import type { SearchHit } from '../../contracts/search-hit.ts';
import { keywordTerms, MAX_TERM_CHARS } from '../keyword-terms.ts';
import { hitFromRow, type LanceRow } from './point-rows.ts';
import { KEYWORDS_COLUMN, PAYLOAD_COLUMNS } from './table-layout.ts';

/** A new config each time: LanceDB consumes an Index object when it builds the index. */
const ftsConfig = () => Index.fts({
  baseTokenizer: 'whitespace',
  lowercase: false,
  stem: false,
  removeStopWords: false,
  asciiFolding: false,
  withPosition: false,
  maxTokenLength: MAX_TERM_CHARS,
});

export async function createKeywordIndex(table: Table): Promise<void> {
  await table.createIndex(KEYWORDS_COLUMN, { config: ftsConfig(), replace: true });
}

/** The best `limit` chunks for the query's terms by BM25, best first; none when the query has no terms. */
export async function keywordHits(table: Table, text: string, limit: number, where: string | undefined): Promise<SearchHit[]> {
  const terms = keywordTerms(text);
  if (terms.length === 0) return [];
  let query = table
    .query()
    .fullTextSearch(new MatchQuery(terms.join(' '), KEYWORDS_COLUMN))
    .select([...PAYLOAD_COLUMNS, '_score'])
    .limit(limit);
  if (where) query = query.where(where);
  const rows: LanceRow[] = await query.toArray();
  return rows.map((row) => hitFromRow(row, row._score as number)).sort((a, b) => b.score - a.score);
}
