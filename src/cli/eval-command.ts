// `embedline eval`: embedding quality on the user's own data.
//   sts FILE                           fidelity against STS Benchmark gold scores
//   retrieval --collection --queries   recall@1/5/10, MRR@10, nDCG@10 of a collection's search
//   compare STS_FILE                   every pooling (and model file) side by side: Spearman and speed
//   compare SOURCE --queries Q         the same on the user's corpus: retrieval metrics and chunks/s
// The flags only: what the command does is in eval-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { POOLINGS } from '../embed/pooling.ts';
import { parseSearchModes, type SearchMode } from '../contracts/search-mode.ts';
import { action } from './run-command.ts';
import { addSourceOptions } from './source-flags.ts';
import { addModelOptions } from './model-options.ts';
import type { EvalFlags, RetrievalFlags, CompareFlags } from './eval-run.ts';

export function registerEvalCommand(program: Command): void {
  const evalCommand = program.command('eval').description('evaluate embedding quality');
  const sts = evalCommand
    .command('sts <file>')
    .description('Spearman correlation of cosine similarity with STS Benchmark gold scores (tab-separated file)')
    .option('--json', 'print {"spearman": …, "pairs": N}');
  addModelOptions(sts).action(
    action(async (file: string, flags: EvalFlags) => (await import('./eval-run.ts')).runStsEval(file, flags)),
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
      action(async (flags: RetrievalFlags & { modes: SearchMode[] }) => (await import('./eval-run.ts')).runRetrievalEval(flags)),
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
    action(async (source: string, flags: CompareFlags) => (await import('./eval-run.ts')).runCompareEval(source, flags)),
  );
}
