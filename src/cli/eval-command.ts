// `embedline eval`: embedding quality on the user's own data.
//   sts FILE                           fidelity against STS Benchmark gold scores
//   retrieval --collection --queries   recall@1/5/10, MRR@10, nDCG@10 of a collection's search
//   compare STS_FILE                   every pooling (and model file) side by side: Spearman and speed
import type { Command } from 'commander';
import { loadEmbedder, type Embedder } from '../embed/embedder.ts';
import { parsePooling, POOLINGS } from '../embed/pooling.ts';
import { EmbedlineError } from '../errors.ts';
import { CHUNKS_PER_QUERY, evaluateRetrieval, readQueriesFile } from '../eval/retrieval.ts';
import { compareOnSts, type CompareVariant } from '../eval/sts-compare.ts';
import { evaluateSts, readStsFile } from '../eval/sts.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { SearchService } from '../search/search-service.ts';
import { withContext } from './context.ts';
import { printJson, printTable } from './output.ts';
import { action } from './run-command.ts';
import { addModelOptions, embedderFromFlags, modelDirFlag, poolingFlag, threadsFlag, type ModelFlags } from './model-options.ts';
import { startupConfig } from './startup-config.ts';

interface EvalFlags extends ModelFlags {
  json?: boolean;
}

interface RetrievalFlags {
  collection: string;
  queries: string;
  model?: string;
  json?: boolean;
}

interface CompareFlags {
  poolings: string;
  quantized?: string | boolean;
  model?: string;
  threads?: string;
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
      const result = await evaluateSts(embedder, pairs, { pooling: poolingFlag(flags) });
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
    .option('--model <dir>', 'folder holding the model the collection was built with (default: $EMBEDLINE_MODEL)')
    .option('--json', 'print the metrics as JSON')
    .action(
      action((flags: RetrievalFlags) =>
        withContext(async (ctx) => {
          const queries = readQueriesFile(flags.queries);
          const service = new SearchService(ctx.store(), new CollectionModels(ctx.modelDir(flags.model), ctx.config.inference));
          const metrics = await evaluateRetrieval(queries, async (texts) =>
            (await service.search(flags.collection, texts, { k: CHUNKS_PER_QUERY })).map((hits) => hits.map((h) => h.documentId)),
          );
          if (flags.json) return printJson({ collection: flags.collection, ...metrics });
          printTable([{ collection: flags.collection, ...metrics }], ['collection', 'queries', 'recallAt1', 'recallAt5', 'recallAt10', 'mrrAt10', 'ndcgAt10']);
        }),
      ),
    );

  evalCommand
    .command('compare <stsFile>')
    .description('embed an STS file once per pooling (and model file): Spearman and sentences/s per variant, in one table')
    .option('--poolings <list>', 'comma-separated poolings to compare', POOLINGS.join(','))
    .option('--quantized [both]', 'model_int8.onnx instead of model.onnx; "both" compares the two')
    .option('--model <dir>', 'model folder (default: $EMBEDLINE_MODEL or ../shared/models/all-MiniLM-L6-v2)')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: $EMBEDLINE_THREADS or all cores)')
    .option('--json', 'print {"variants": [{"pooling","quantized","spearman","sentencesPerSecond"}]}')
    .action(
      action(async (file: string, flags: CompareFlags) => {
        const pairs = readStsFile(file);
        const variants = compareVariants(flags);
        const modelDir = modelDirFlag(flags.model);
        const options = { ...startupConfig().inference, threads: threadsFlag(flags) };
        const loaded = new Map<boolean, Promise<Embedder>>();
        const embedderFor = (quantized: boolean): Promise<Embedder> => {
          let embedder = loaded.get(quantized);
          if (!embedder) loaded.set(quantized, (embedder = loadEmbedder(modelDir, { ...options, quantized })));
          return embedder;
        };
        const results = await compareOnSts(pairs, variants, embedderFor);
        if (flags.json) return printJson({ file, pairs: pairs.length, variants: results });
        printTable(
          results.map((r) => ({ pooling: r.pooling, model: r.quantized ? 'int8' : 'fp32', spearman: r.spearman.toFixed(5), 'sentences/s': r.sentencesPerSecond })),
          ['pooling', 'model', 'spearman', 'sentences/s'],
        );
      }),
    );
}

function compareVariants(flags: CompareFlags): CompareVariant[] {
  const poolings = [...new Set(flags.poolings.split(',').map((p) => parsePooling(p.trim())))];
  if (flags.quantized !== undefined && flags.quantized !== true && flags.quantized !== 'both') {
    throw new EmbedlineError('CONFIG_INVALID', `--quantized takes no value or "both", got "${flags.quantized}"`);
  }
  const files = flags.quantized === 'both' ? [false, true] : [flags.quantized === true];
  return files.flatMap((quantized) => poolings.map((pooling) => ({ pooling, quantized })));
}
