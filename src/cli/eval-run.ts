// What `embedline eval` does once its flags are parsed (eval-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import type { Embedder } from '../embed/embedder.ts';
import { loadModel } from '../hub/resolve-model.ts';
import { parsePooling, POOLINGS, type Pooling } from '../embed/pooling.ts';
import { EmbedlineError } from '../errors.ts';
import { compareOnCorpus, rankBySearch } from '../core/retrieval-compare.ts';
import { type SearchMode } from '../contracts/search-mode.ts';
import { evaluateRetrieval, readQueriesFile } from '../eval/retrieval.ts';
import { compareOnSts, type CompareVariant } from '../eval/sts-compare.ts';
import { evaluateSts, readStsFile } from '../eval/sts.ts';
import { log } from '../log.ts';
import { openSource } from '../producer/sources/open-source.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { SearchService } from '../search/search-service.ts';
import { withContext } from './context.ts';
import { printJson, printTable } from './output.ts';
import { withScratchDir } from './scratch-dir.ts';
import { chunkSettingsFromFlags, sourceFlagsGiven, sourceOptions, type SourceFlags } from './source-flags.ts';
import { deviceFlag, modelDirFlag, poolingFlag, threadsFlag, type ModelFlags } from './model-options.ts';
import { embedderFromFlags } from './model-loading.ts';
import { startupConfig } from './startup-config.ts';

export interface EvalFlags extends ModelFlags {
  json?: boolean;
}

export interface RetrievalFlags {
  collection: string;
  queries: string;
  model?: string;
  device?: string;
  json?: boolean;
}

export interface CompareFlags extends SourceFlags {
  queries?: string;
  modes?: SearchMode[];
  poolings?: string;
  quantized?: string | boolean;
  model?: string;
  threads?: string;
  device?: string;
  prompts?: string;
  json?: boolean;
}


async function compareOnStsFile(file: string, flags: CompareFlags): Promise<void> {
  const pairs = readStsFile(file);
  const files = compareFiles(flags);
  const named = namedPoolings(flags);
  const prompts = promptsFlag(flags);
  const given = sourceFlagsGiven(flags);
  if (flags.modes !== undefined) given.push('--modes');
  if (given.length > 0) throw new EmbedlineError('CONFIG_INVALID', `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only with --queries, when the source is a corpus`);
  const embedderFor = embedderCache(flags);
  const first = await embedderFor(files[0]);
  const variants = compareVariants(files, named ?? graphPoolings(first), promptChoices(prompts, first));
  const results = await compareOnSts(pairs, variants, embedderFor);
  if (flags.json) return printJson({ file, pairs: pairs.length, variants: results });
  printTable(
    results.map((r) => ({ pooling: r.pooling, model: modelLabel(r.quantized), prompts: promptsLabel(r.prompts), spearman: r.spearman.toFixed(5), 'sentences/s': r.sentencesPerSecond })),
    ['pooling', 'model', 'prompts', 'spearman', 'sentences/s'],
  );
}

async function compareOnCorpusFile(sourcePath: string, queriesPath: string, flags: CompareFlags): Promise<void> {
  // Everything the user typed is checked before the model loads: a typo fails in milliseconds.
  const files = compareFiles(flags);
  const named = namedPoolings(flags);
  const prompts = promptsFlag(flags);
  const queries = readQueriesFile(queriesPath);
  const source = await openSource(sourcePath, sourceOptions(flags));
  // The source's close() removes what it spooled (stdin) as soon as the comparison ends, however it ends.
  const result = await (async () => {
    const embedderFor = embedderCache(flags);
    const first = await embedderFor(files[0]);
    const variants = compareVariants(files, named ?? graphPoolings(first), promptChoices(prompts, first));
    // One chunking serves every variant: it leaves room for the document prompt when a variant uses it.
    const settings = chunkSettingsFromFlags(flags, first, variants.some((v) => v.prompts) ? first.info.defaultPrompts.document : '');
    return withScratchDir('embedline-compare-', (scratchDir, signal) =>
      compareOnCorpus(
        { source, queries, variants, modes: flags.modes, settings, scratchDir, signal, modelDir: modelDirFlag(flags.model), hub: startupConfig().hub, inference: inferenceFlags(flags), indexMinRows: startupConfig().indexMinRows },
        embedderFor,
      ),
    );
  })().finally(() => source.close());
  if (result.unknownExpected.length > 0) {
    log('warn', 'eval.unknown-expected', {
      message: `${result.unknownExpected.length} expected id(s) of ${queriesPath} are not documents of ${sourcePath}; they count as misses`,
      ids: result.unknownExpected.slice(0, 10),
    });
  }
  const { variants: rows, unknownExpected, ...counts } = result;
  if (flags.json) return printJson({ source: sourcePath, queries: queries.length, ...counts, unknownExpected: unknownExpected.length, variants: rows });
  process.stdout.write(`${sourcePath}: ${counts.documents} documents (${counts.rejected} rejected), ${counts.chunks} chunks, ${queries.length} queries\n`);
  printTable(
    rows.map((r) => ({
      pooling: r.pooling,
      model: modelLabel(r.quantized),
      prompts: promptsLabel(r.prompts),
      mode: r.mode,
      'recall@1': r.recallAt1.toFixed(3),
      'recall@5': r.recallAt5.toFixed(3),
      'recall@10': r.recallAt10.toFixed(3),
      'MRR@10': r.mrrAt10.toFixed(3),
      'nDCG@10': r.ndcgAt10.toFixed(3),
      'chunks/s': r.chunksPerSecond,
    })),
    ['pooling', 'model', 'prompts', 'mode', 'recall@1', 'recall@5', 'recall@10', 'MRR@10', 'nDCG@10', 'chunks/s'],
  );
}

const modelLabel = (quantized: boolean) => (quantized ? 'int8' : 'fp32');
const promptsLabel = (prompts: boolean) => (prompts ? 'on' : 'off');

const PROMPT_CHOICES = ['on', 'off', 'both'] as const;
type PromptChoice = (typeof PROMPT_CHOICES)[number];

/** --prompts as named (checked before the model loads); default on, as ingest applies the model's prompts. */
function promptsFlag(flags: CompareFlags): PromptChoice {
  const value = flags.prompts ?? 'on';
  if ((PROMPT_CHOICES as readonly string[]).includes(value)) return value as PromptChoice;
  throw new EmbedlineError('CONFIG_INVALID', `--prompts must be one of ${PROMPT_CHOICES.join(', ')}, got "${value}"`);
}

/** The prompt settings to compare; a model that declares no prompts has one (off): on would give the same vectors. */
function promptChoices(choice: PromptChoice, embedder: Embedder): boolean[] {
  const { query, document } = embedder.info.defaultPrompts;
  if (query === '' && document === '') return [false];
  switch (choice) {
    case 'on':
      return [true];
    case 'off':
      return [false];
    case 'both':
      return [true, false];
    default: {
      const unreachable: never = choice;
      throw new EmbedlineError('CONFIG_INVALID', `unknown --prompts ${String(unreachable)}`);
    }
  }
}

/** The environment's inference settings, with --threads over EMBEDLINE_THREADS. */
function inferenceFlags(flags: CompareFlags) {
  return { ...startupConfig().inference, threads: threadsFlag(flags), device: deviceFlag(flags) };
}

/** Each model file is loaded once however many poolings use it. */
function embedderCache(flags: CompareFlags): (quantized: boolean) => Promise<Embedder> {
  const modelDir = modelDirFlag(flags.model);
  const options = inferenceFlags(flags);
  const loaded = new Map<boolean, Promise<Embedder>>();
  return (quantized) => {
    let embedder = loaded.get(quantized);
    if (!embedder) loaded.set(quantized, (embedder = loadModel(modelDir, startupConfig().hub, { ...options, quantized })));
    return embedder;
  };
}

/** --poolings as named (checked before the model loads); undefined: every pooling the graph gives. */
function namedPoolings(flags: CompareFlags): Pooling[] | undefined {
  return flags.poolings === undefined ? undefined : [...new Set(flags.poolings.split(',').map((p) => parsePooling(p.trim())))];
}

/** The poolings this model's graph can give: pooler only when it has a pooler_output. */
function graphPoolings(embedder: Embedder): Pooling[] {
  return POOLINGS.filter((pooling) => pooling !== 'pooler' || embedder.info.outputs.includes('pooler_output'));
}

/** The model files to compare: fp32, int8 (--quantized) or both (--quantized both). */
function compareFiles(flags: CompareFlags): boolean[] {
  if (flags.quantized !== undefined && flags.quantized !== true && flags.quantized !== 'both') {
    throw new EmbedlineError('CONFIG_INVALID', `--quantized takes no value or "both", got "${flags.quantized}"`);
  }
  return flags.quantized === 'both' ? [false, true] : [flags.quantized === true];
}

function compareVariants(files: boolean[], poolings: Pooling[], prompts: boolean[]): CompareVariant[] {
  return files.flatMap((quantized) => poolings.flatMap((pooling) => prompts.map((withPrompts) => ({ pooling, quantized, prompts: withPrompts }))));
}

export async function runStsEval(file: string, flags: EvalFlags): Promise<void> {
  const pairs = readStsFile(file);
  const embedder = await embedderFromFlags(flags);
  // STS is symmetric: both sentences get the model's query prompt, as eval compare's prompts-on rows.
  const result = await evaluateSts(embedder, pairs, { pooling: poolingFlag(flags), prompt: embedder.info.defaultPrompts.query });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ spearman: Number(result.spearman.toFixed(5)), pairs: result.pairs })}\n`);
  } else {
    process.stdout.write(`STS ${file}: Spearman ${result.spearman.toFixed(5)} over ${result.pairs} pairs (${embedder.info.name}${embedder.info.quantized ? ', int8' : ''})\n`);
  }

}

export function runRetrievalEval(flags: RetrievalFlags & { modes: SearchMode[] }): Promise<void> {
  return withContext(async (ctx) => {
    const queries = readQueriesFile(flags.queries);
    const service = new SearchService(ctx.store(), new CollectionModels(ctx.modelDir(flags.model), { ...ctx.config.inference, device: deviceFlag(flags) }, ctx.config.hub));
    const rows = [];
    for (const mode of flags.modes) rows.push({ collection: flags.collection, mode, ...(await evaluateRetrieval(queries, rankBySearch(service, flags.collection, mode))) });
    if (flags.json) return printJson(rows.length === 1 ? rows[0] : { collection: flags.collection, variants: rows });
    printTable(rows, ['collection', 'mode', 'queries', 'recallAt1', 'recallAt5', 'recallAt10', 'mrrAt10', 'ndcgAt10']);
  });
}

export async function runCompareEval(source: string, flags: CompareFlags): Promise<void> {
  if (flags.queries === undefined) return compareOnStsFile(source, flags);
  return compareOnCorpusFile(source, flags.queries, flags);

}
