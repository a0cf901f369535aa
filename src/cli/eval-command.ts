// `embedline eval sts FILE`: fidelity check against STS Benchmark gold scores.
import type { Command } from 'commander';
import { evaluateSts, readStsFile } from '../eval/sts.ts';
import { action } from './run-command.ts';
import { addModelOptions, embedderFromFlags, poolingFlag, type ModelFlags } from './model-options.ts';

interface EvalFlags extends ModelFlags {
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
}
