// `embedline eval`: embedding quality on the user's own data.
//   sts FILE                           fidelity against STS Benchmark gold scores
//   retrieval --collection --queries   recall@1/5/10, MRR@10, nDCG@10 of a collection's search
//   compare STS_FILE                   every pooling (and model file) side by side: Spearman and speed
//   compare SOURCE --queries Q         the same on the user's corpus: retrieval metrics and chunks/s
import type { Command } from 'commander';
import type { Embedder } from '../embed/embedder.ts';
import { loadModel } from '../hub/resolve-model.ts';
import { parsePooling, POOLINGS, type Pooling } from '../embed/pooling.ts';
import { EmbedlineError } from '../errors.ts';
import { compareOnCorpus, rankBySearch } from '../core/retrieval-compare.ts';
import { parseSearchModes, type SearchMode } from '../contracts/search-mode.ts';
import { evaluateRetrieval, readQueriesFile } from '../eval/retrieval.ts';
import { compareOnSts, type CompareVariant } from '../eval/sts-compare.ts';
import { evaluateSts, readStsFile } from '../eval/sts.ts';
import { log } from '../log.ts';
import { openSource } from '../producer/sources/open-source.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { SearchService } from '../search/search-service.ts';
import { withContext } from './context.ts';
import { printJson, printTable } from './output.ts';
import { action } from './run-command.ts';
import { withScratchDir } from './scratch-dir.ts';
import { addSourceOptions, chunkSettingsFromFlags, sourceFlagsGiven, sourceOptions, type SourceFlags } from './source-flags.ts';
import { addModelOptions, deviceFlag, embedderFromFlags, modelDirFlag, poolingFlag, threadsFlag, type ModelFlags } from './model-options.ts';
import { startupConfig } from './startup-config.ts';

interface EvalFlags extends ModelFlags {
  json?: boolean;
}

interface RetrievalFlags {
  collection: string;
  queries: string;
  model?: string;
  device?: string;
  json?: boolean;
}

interface CompareFlags extends SourceFlags {
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

export function registerEvalCommand(program: Command): void {
  const evalCommand = program.command('eval').description('evaluate embedding quality');
  const sts = evalCommand
    .command('sts <file>')
    .description('Spearman correlation of cosine similarity with STS Benchmark gold scores (tab-separated file)')
    .option('--json', 'print {"spearman": …, "pairs": N}');
  addModelOptions(sts).action(
    action(async (file: string, flags: EvalFlags) => {
      const pairs = readStsFile(file);
      const embedder = await embedderFromFlags(flags);
      // STS is symmetric: both sentences get the model's query prompt, as eval compare's prompts-on rows.
      const result = await evaluateSts(embedder, pairs, { pooling: poolingFlag(flags), prompt: embedder.info.defaultPrompts.query });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ spearman: Number(result.spearman.toFixed(5)), pairs: result.pairs })}\n`);
      } else {
        process.stdout.write(`STS ${file}: Spearman ${result.spearman.toFixed(5)} over ${result.pairs} pairs (${embedder.info.name}${embedder.info.quantized ? ', int8' : ''})\n`);
      }
    }),
  );

  evalCommand
    .command('retrieval')
    .description('recall@1/5/10, MRR@10 and nDCG@10 of a collection for queries with known answers')
    .requiredOption('--collection <name>', 'collection to search')
    .requiredOption('--queries <file>', 'JSONL: {"query": "…", "expected": documentId | [ids]} per line')
    .option('--modes <list>', 'search modes to score, comma-separated: dense, keyword, hybrid (default: dense); one row each', (v: string) => parseSearchModes(v), ['dense'])
    .option('--model <dir>', 'folder holding the model the collection was built with (default: $EMBEDLINE_MODEL)')
    .option('--device <device>', 'cpu | cuda: onnxruntime execution provider (default: $EMBEDLINE_DEVICE or cpu)')
    .option('--json', 'print the metrics as JSON')
    .action(
      action((flags: RetrievalFlags & { modes: SearchMode[] }) =>
        withContext(async (ctx) => {
          const queries = readQueriesFile(flags.queries);
          const service = new SearchService(ctx.store(), new CollectionModels(ctx.modelDir(flags.model), { ...ctx.config.inference, device: deviceFlag(flags) }, ctx.config.hub));
          const rows = [];
          for (const mode of flags.modes) rows.push({ collection: flags.collection, mode, ...(await evaluateRetrieval(queries, rankBySearch(service, flags.collection, mode))) });
          if (flags.json) return printJson(rows.length === 1 ? rows[0] : { collection: flags.collection, variants: rows });
          printTable(rows, ['collection', 'mode', 'queries', 'recallAt1', 'recallAt5', 'recallAt10', 'mrrAt10', 'ndcgAt10']);
        }),
      ),
    );

  const compare = evalCommand
    .command('compare <source>')
    .description(
      'embed an STS file (or, with --queries, a corpus into throw-away collections) once per pooling and model file: ' +
        'Spearman (or recall/MRR/nDCG) and throughput per variant, in one table',
    )
    .option('--queries <file>', 'JSONL {"query", "expected": documentId | [ids]} per line: <source> is then a corpus read like `ingest` reads it')
    .option('--modes <list>', 'with --queries: search modes to score each variant in, comma-separated: dense, keyword, hybrid (default: dense)', (v: string) => parseSearchModes(v))
    .option('--poolings <list>', `comma-separated poolings to compare (default: those the graph gives of ${POOLINGS.join(', ')}: pooler only with a pooler_output)`)
    .option('--quantized [both]', 'model_int8.onnx instead of model.onnx; "both" compares the two')
    .option('--model <dir>', 'model folder (default: $EMBEDLINE_MODEL or ../shared/models/all-MiniLM-L6-v2)')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: $EMBEDLINE_THREADS or all cores)')
    .option('--device <device>', 'cpu | cuda: onnxruntime execution provider (default: $EMBEDLINE_DEVICE or cpu)')
    .option('--prompts <choice>', "on | off | both: the model's prompts (config_sentence_transformers.json) applied, not applied, or compared (default: on, as ingest applies them)")
    .option(
      '--json',
      'print {"file","pairs","variants":[{"pooling","quantized","prompts","spearman","sentencesPerSecond"}]}; with --queries ' +
        '{"source","queries","documents","rejected","chunks","unknownExpected","variants":[{"pooling","quantized","prompts","mode","recallAt1",…,"ndcgAt10","chunksPerSecond"}]}',
    );
  addSourceOptions(compare).action(
    action(async (source: string, flags: CompareFlags) => {
      if (flags.queries === undefined) return compareOnStsFile(source, flags);
      return compareOnCorpusFile(source, flags.queries, flags);
    }),
  );
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
  const embedderFor = embedderCache(flags);
  const first = await embedderFor(files[0]);
  const variants = compareVariants(files, named ?? graphPoolings(first), promptChoices(prompts, first));
  // One chunking serves every variant: it leaves room for the document prompt when a variant uses it.
  const settings = chunkSettingsFromFlags(flags, first, variants.some((v) => v.prompts) ? first.info.defaultPrompts.document : '');
  const result = await withScratchDir('embedline-compare-', (scratchDir, signal) =>
    compareOnCorpus(
      { source, queries, variants, modes: flags.modes, settings, scratchDir, signal, modelDir: modelDirFlag(flags.model), hub: startupConfig().hub, inference: inferenceFlags(flags), indexMinRows: startupConfig().indexMinRows },
      embedderFor,
    ),
  );
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
