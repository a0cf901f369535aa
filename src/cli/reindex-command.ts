// `embedline reindex --collection NAME --model DIR`: re-embed a collection into its next version
// and switch to it atomically; searches keep answering throughout. Maps the flags to a plan, runs
// it (src/core/run-reindex.ts), logs its progress and prints the result.
// The flags only: what the command does is in reindex-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { REINDEX_DEFAULTS } from '../core/run-plans.ts';
import { addModelOptions } from './model-options.ts';
import { addPromptOptions } from './prompt-options.ts';
import { action } from './run-command.ts';
import type { ReindexFlags } from './reindex-run.ts';

export function registerReindexCommand(program: Command): void {
  const command = program
    .command('reindex')
    .description('re-embed a collection with another model or pooling into a new version, then switch to it atomically')
    .requiredOption('--collection <name>', 'collection to re-embed', checkCollectionName)
    .option('--no-normalize', 'store unnormalised vectors (dot-product collection)')
    .option('--grace-seconds <n>', 'keep the previous version this long after the switch, then drop it', String(REINDEX_DEFAULTS.graceMs / 1000))
    .option('--json', 'print the result as JSON');
  addPromptOptions(addModelOptions(command)).action(
    action(async (flags: ReindexFlags) => (await import('./reindex-run.ts')).runReindexCommand(flags)),
  );
}
