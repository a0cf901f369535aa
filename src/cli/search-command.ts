// `embedline search`: one query from the command line, or many from a JSONL file (searched in
// groups, each one SearchService.search call: one ONNX run and one store call per group). Hits are
// printed as the store returns them (the fields of src/contracts/search-hit.ts); an empty search
// prints "no hits" (with --json, `"hits": []`).
// The flags only: what the command does is in search-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { parseSearchMode } from '../contracts/search-mode.ts';
import { CANDIDATES_PER_DOCUMENT } from '../search/search-service.ts';
import { action } from './run-command.ts';
import { addDeviceOption } from './model-options.ts';
import type { SearchFlags } from './search-run.ts';

export function registerSearchCommand(program: Command): void {
  const command = program
    .command('search [text]')
    .description('semantic search in a collection')
    .requiredOption('--collection <name>', 'collection to search', checkCollectionName)
    .option('--k <n>', 'number of hits', '10')
    .option('--filter <json>', 'metadata filter: {"field": value}, {"field": [a, b]}, {"field": {"gte": 2020, "lt": 2024}}, {"not": {...}}; on a list field a value matches any item')
    .option('--group-by-document', `one hit per document: its best chunk, with how many of its chunks matched (among the top k × ${CANDIDATES_PER_DOCUMENT} chunks)`)
    .option('--score-threshold <x>', 'drop hits scoring below x (dense mode; cosine similarity for normalised models)')
    .option('--mode <mode>', 'dense (default): by embedding similarity; keyword: exact terms (identifiers, codes, names); hybrid: both, fused by rank', (v: string) => parseSearchMode(v, '--mode'))
    .option('--queries <file>', 'JSONL file of {"query": "..."}; prints one result line per query')
    .option('--model <dir-or-id>', "model folder or Hub id to embed queries with (default: $EMBEDLINE_MODEL or the default Hub id; the collection's recorded model when it differs)")
    .option('--threads <n>', 'onnxruntime threads')
    .option('--query-prompt <text>', "the query prompt you mean; refused unless it is the one the collection recorded (queries always get that one)")
    .option('--json', 'print JSON');
  addDeviceOption(command)
    .action(
      action(async (text: string | undefined, flags: SearchFlags) => (await import('./search-run.ts')).runSearchCommand(text, flags)),
    );
}
