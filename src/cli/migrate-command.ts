// `embedline migrate --collection NAME --to qdrant` (or `--from qdrant --to local`): copies a
// collection between the embedded store and Qdrant (QDRANT_URL) without re-embedding, then
// verifies point counts and a sample of searches. See store/migrate-collection.ts.
import type { Command } from 'commander';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { migrateCollection } from '../store/migrate-collection.ts';
import { openStoreOfKind, type StoreKind } from '../store/open-store.ts';
import { withContext } from './context.ts';
import { positiveInt } from './model-options.ts';
import { printJson } from './output.ts';
import { action } from './run-command.ts';

interface MigrateFlags {
  collection: string;
  to: string;
  from?: string;
  batch: string;
  json?: boolean;
}

const KINDS: readonly StoreKind[] = ['local', 'qdrant'];

function storeKind(value: string, flag: string): StoreKind {
  if (!(KINDS as readonly string[]).includes(value)) throw new EmbedlineError('CONFIG_INVALID', `${flag} must be local or qdrant, got "${value}"`);
  return value as StoreKind;
}

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('copy a collection between the embedded store and Qdrant (vectors, payloads, spec) without re-embedding, then verify it')
    .requiredOption('--collection <name>', 'collection to copy')
    .requiredOption('--to <store>', 'local | qdrant (QDRANT_URL)')
    .option('--from <store>', 'local | qdrant (default: the other one)')
    .option('--batch <n>', 'points per write', '256')
    .option('--json', 'print the result as JSON')
    .action(
      action((flags: MigrateFlags) =>
        withContext(async (ctx) => {
          const to = storeKind(flags.to, '--to');
          const from = flags.from === undefined ? (to === 'local' ? 'qdrant' : 'local') : storeKind(flags.from, '--from');
          if (from === to) throw new EmbedlineError('CONFIG_INVALID', `--from and --to are both ${to}: nothing to move`);
          const batchSize = positiveInt(flags.batch, '--batch');
          const config = { dataDir: ctx.config.dataDir, qdrantUrl: ctx.config.qdrantUrl, qdrantApiKey: ctx.config.qdrantApiKey, indexMinRows: ctx.config.indexMinRows };
          const source = openStoreOfKind(from, config);
          const target = openStoreOfKind(to, config);
          try {
            let lastLog = 0;
            const result = await migrateCollection(source, target, flags.collection, {
              batchSize,
              onProgress: (copied, total) => {
                if (Date.now() - lastLog > 2000 || copied === total) {
                  lastLog = Date.now();
                  log('info', 'migrate.progress', { collection: flags.collection, copied, total });
                }
              },
            });
            if (flags.json) printJson({ from, to, ...result });
            else {
              process.stdout.write(
                `${flags.collection}: ${result.copied} points copied ${from} → ${to}; ${result.targetPoints} points in ${to} (${result.sourcePoints} in ${from}); ` +
                  `top-10 identical for ${result.identicalSearches} of ${result.sampleSearches} sample searches\n`,
              );
            }
            if (result.targetPoints !== result.sourcePoints || result.differences.length > 0) {
              throw new EmbedlineError(
                'STORE_REJECTED',
                `the copy of "${flags.collection}" in ${to} differs: ${result.targetPoints} points vs ${result.sourcePoints}` +
                  (result.differences.length > 0 ? `; ${result.differences[0]}` : '') +
                  ' (run again to resume: points already copied are rewritten, not duplicated)',
              );
            }
          } finally {
            await Promise.all([source.close(), target.close()]);
          }
        }),
      ),
    );
}
