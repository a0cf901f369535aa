// What `embedline search` does once its flags are parsed (search-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { readFileSync } from 'node:fs';
import { type SearchMode } from '../contracts/search-mode.ts';
import { parseFilter, type Filter } from '../contracts/filter.ts';
import { EmbedlineError } from '../errors.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { SearchService } from '../search/search-service.ts';
import { withContext } from './context.ts';
import { startTracing } from '../telemetry/tracing.ts';
import { printJson } from './output.ts';
import { deviceFlag, positiveInt } from './model-options.ts';

export interface SearchFlags {
  collection: string;
  mode?: SearchMode;
  k: string;
  filter?: string;
  queries?: string;
  json?: boolean;
  model?: string;
  threads?: string;
  groupByDocument?: boolean;
  scoreThreshold?: string;
  device?: string;
  queryPrompt?: string;
}

const QUERY_BATCH = 64;

function parseFilterFlag(value: string | undefined): Filter | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new EmbedlineError('BAD_REQUEST', `--filter is not valid JSON: ${(err as Error).message}`);
  }
  return parseFilter(parsed, '--filter');
}

function scoreThresholdFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const threshold = Number(value);
  if (value.trim() === '' || !Number.isFinite(threshold)) throw new EmbedlineError('BAD_REQUEST', `--score-threshold must be a number, got ${JSON.stringify(value)}`);
  return threshold;
}

function readQueries(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    try {
      const q = (JSON.parse(line) as { query?: unknown }).query;
      if (typeof q === 'string' && q.trim() !== '') return q;
    } catch {
      // reported below with the line number
    }
    throw new EmbedlineError('INPUT_INVALID', `${path}:${i + 1}: expected {"query": "non-empty text"}`);
  });
}

export function runSearchCommand(text: string | undefined, flags: SearchFlags): Promise<void> {
  return withContext(async (ctx) => {
    if ((text === undefined) === (flags.queries === undefined)) {
      throw new EmbedlineError('BAD_REQUEST', 'give either a query text or --queries FILE');
    }
    // One span per search when OTEL_EXPORTER_OTLP_ENDPOINT is set; closing the context sends it.
    await startTracing(ctx.config.tracing);
    const options = { k: positiveInt(flags.k, '--k'), filter: parseFilterFlag(flags.filter), scoreThreshold: scoreThresholdFlag(flags.scoreThreshold), groupBy: flags.groupByDocument ? ('document' as const) : undefined, queryPrompt: flags.queryPrompt };
    // --threads keeps its meaning here: the threads of one query run.
    const threadsPerRun = flags.threads === undefined ? undefined : positiveInt(flags.threads, '--threads');
    const device = deviceFlag(flags);
    const service = new SearchService(ctx.store(), new CollectionModels(ctx.modelDir(flags.model), { ...ctx.config.inference, threadsPerRun, device }, ctx.config.hub));
    if (text !== undefined) {
      const answer = await service.search(flags.collection, text, { ...options, mode: flags.mode });
      const { hits } = answer;
      if (flags.json) return printJson({ query: text, ...answer });
      // An empty answer says so: a script (or a person) must not wonder whether it ran at all.
      if (hits.length === 0) return void process.stdout.write('no hits\n');
      // Weak hits are not dressed as answers: the line says so before them.
      if (answer.noCloseMatch) {
        process.stdout.write(`no close match: the best hit scores ${hits[0].score.toFixed(4)}, below this collection's floor ${answer.scoreFloor} (the nearest, not answers:)\n`);
      }
      hits.forEach((h, i) => {
        const snippet = h.text.replace(/\s+/g, ' ').slice(0, 160);
        const matches = 'matches' in h ? `  (${h.matches} chunk${h.matches === 1 ? '' : 's'})` : '';
        process.stdout.write(`${String(i + 1).padStart(2)}. ${h.score.toFixed(4)}  ${h.documentId}#${h.chunkIndex}${matches}  ${snippet}\n`);
      });
      return;
    }
    const queries = readQueries(flags.queries!);
    for (let start = 0; start < queries.length; start += QUERY_BATCH) {
      const group = queries.slice(start, start + QUERY_BATCH);
      const answers = await service.search(flags.collection, group, { ...options, mode: flags.mode });
      answers.forEach((answer, i) => printJson({ query: group[i], ...answer }));
    }
  });
}
