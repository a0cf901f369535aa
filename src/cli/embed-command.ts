// `embedline embed`: a JSONL file of texts in, a JSONL file of vectors out, in input order.
// The flags only: what the command does is in embed-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';
import { addModelOptions } from './model-options.ts';
import type { EmbedFlags } from './embed-run.ts';

export function registerEmbedCommand(program: Command): void {
  const command = program
    .command('embed')
    .description('embed texts from a JSONL file; writes {"vector": [...], "tokens": N} per line, in input order')
    .requiredOption('--input <file>', 'JSONL: one JSON string or {"text": "..."} per line')
    .requiredOption('--output <file>', 'JSONL output, written only if every line succeeds')
    .option('--no-normalize', 'skip L2 normalisation')
    .option('--truncate', "cut texts over the model's length limit instead of failing")
    .option('--prompt-name <name>', "put the model's prompt of that name (config_sentence_transformers.json: query, passage…) before every text")
    .option('--prompt <text>', 'put this text before every text (default: the model\'s default prompt, if it names one, as sentence-transformers does)');
  addModelOptions(command).action(
    action(async (flags: EmbedFlags) => (await import('./embed-run.ts')).runEmbedCommand(flags)),
  );
}
