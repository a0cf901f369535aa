// The one-line answer to a keyword or hybrid search on a collection built before keyword indexes
// existed (a LanceDB table without the keywords column, a Qdrant collection without the sparse
// vector): nothing can be added to such a collection in place, and a half-built index would answer
// wrongly, so the user is told the one command that builds it (reindex makes a new version).
import { EmbedlineError } from '../errors.ts';

export function keywordIndexMissing(collection: string): EmbedlineError {
  return new EmbedlineError(
    'KEYWORD_INDEX_MISSING',
    `collection "${collection}" has no keyword index (it was built before keyword search existed): run "embedline reindex --collection ${collection}" to build one, then search with --mode keyword or hybrid`,
    { details: { collection } },
  );
}
