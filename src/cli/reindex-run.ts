// What `embedline reindex` does once its flags are parsed (reindex-command.ts defines them): maps them to
// a plan, re-embeds the collection (src/core/run-reindex.ts), logs its progress and prints the result.
import { reindexCollection } from '../core/run-reindex.ts';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { withContext } from './context.ts';
import { poolingFlag, type ModelFlags } from './model-options.ts';
import { modelChoiceFromFlags } from './model-loading.ts';
import { promptFlags, type PromptFlags } from './prompt-options.ts';
import { printJson } from './output.ts';

export interface ReindexFlags extends ModelFlags, PromptFlags {
  collection: string;
  normalize: boolean;
  graceSeconds: string;
  json?: boolean;
}

export function runReindexCommand(flags: ReindexFlags): Promise<void> {
  return withContext(async (ctx) => {
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
  });
}
