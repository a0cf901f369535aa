// `embedline reindex --collection NAME --model DIR`: re-embed a collection into its next version
// and switch to it atomically; searches keep answering throughout. Maps the flags to a plan, runs
// it (src/core/run-reindex.ts), logs its progress and prints the result.
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { reindexCollection } from '../core/run-reindex.ts';
import { REINDEX_DEFAULTS } from '../core/run-plans.ts';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { withContext } from './context.ts';
import { addModelOptions, modelChoiceFromFlags, poolingFlag, type ModelFlags } from './model-options.ts';
import { addPromptOptions, promptFlags, type PromptFlags } from './prompt-options.ts';
import { printJson } from './output.ts';
import { action } from './run-command.ts';

interface ReindexFlags extends ModelFlags, PromptFlags {
  collection: string;
  normalize: boolean;
  graceSeconds: string;
  json?: boolean;
}

export function registerReindexCommand(program: Command): void {
  const command = program
    .command('reindex')
    .description('re-embed a collection with another model or pooling into a new version, then switch to it atomically')
    .requiredOption('--collection <name>', 'collection to re-embed', checkCollectionName)
    .option('--no-normalize', 'store unnormalised vectors (dot-product collection)')
    .option('--grace-seconds <n>', 'keep the previous version this long after the switch, then drop it', String(REINDEX_DEFAULTS.graceMs / 1000))
    .option('--json', 'print the result as JSON');
  addPromptOptions(addModelOptions(command)).action(
    action((flags: ReindexFlags) =>
      withContext(async (ctx) => {
        const graceSeconds = Number(flags.graceSeconds);
        if (!Number.isFinite(graceSeconds) || graceSeconds < 0) throw new EmbedlineError('CONFIG_INVALID', `--grace-seconds must be ≥ 0, got ${flags.graceSeconds}`);
        const plan = {
          collection: flags.collection,
          model: modelChoiceFromFlags(flags, ctx.modelDir(flags.model)),
          pooling: poolingFlag(flags),
          normalize: flags.normalize,
          prompts: promptFlags(flags),
          graceMs: graceSeconds * 1000,
        };
        let lastLog = 0;
        const result = await reindexCollection(
          plan,
          { store: ctx.store(), lease: { connection: ctx.connection, prefix: ctx.config.queuePrefix, storeId: ctx.config.storeId } },
          (done, total) => {
            if (Date.now() - lastLog > 2000 || done === total) {
              lastLog = Date.now();
              log('info', 'reindex.progress', { collection: flags.collection, chunks: done, of: total });
            }
          },
        );
        if (flags.json) return printJson(result);
        process.stdout.write(
          `${result.collection}: ${result.chunks} chunks re-embedded into ${result.version} (${result.spec.model}, ${result.spec.pooling}); ` +
            `${result.previous ? `${result.previous} ${result.droppedPrevious ? 'dropped' : 'kept'}` : 'no previous version'}\n`,
        );
      }),
    ),
  );
}
