// `embedline migrate --collection NAME --to qdrant` (or `--from qdrant --to local`): copies a
// collection between the embedded store and Qdrant (QDRANT_URL) without re-embedding, verifies
// point counts and a sample of searches, and only then serves the copy under the name (see
// store/migrate-collection.ts). The collection is held exclusively in both stores meanwhile
// (queue/collection-lease.ts): an ingest into either is refused, and the migrate is refused while
// one runs, so no write lands in the source after its points were read.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { storeIdentity, type Config } from '../config.ts';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { migrateCollection } from '../store/migrate-collection.ts';
import { claimCollection, type HeldLease } from '../queue/collection-lease.ts';
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
          const config = { dataDir: ctx.config.dataDir, qdrantUrl: ctx.config.qdrantUrl, qdrantApiKey: ctx.config.qdrantApiKey, qdrantPlacement: ctx.config.qdrantPlacement, indexMinRows: ctx.config.indexMinRows };
          const source = openStoreOfKind(from, config);
          const target = openStoreOfKind(to, config);
          const holds: HeldLease[] = [];
          try {
            const id = randomUUID();
            for (const kind of [from, to]) {
              const place = { connection: ctx.connection, prefix: ctx.config.queuePrefix, storeId: storeIdOf(kind, ctx.config) };
              holds.push(await claimCollection(place, flags.collection, 'exclusive', id, `a migrate ${from} → ${to}`));
            }
            let lastLog = 0;
            const result = await migrateCollection(source, target, flags.collection, {
              batchSize,
              onProgress: (copied, total) => {
                if (Date.now() - lastLog > 2000 || copied === total) {
                  lastLog = Date.now();
                  log('info', 'migrate.progress', { collection: flags.collection, copied, total });
                }
              },
              beforeServing: () => {
                const lost = holds.find((hold) => hold.lost)?.lost;
                if (lost) throw new EmbedlineError('COLLECTION_BUSY', `the migrate of "${flags.collection}" lost its claim on it: ${lost}; run it again`, { retryable: true });
              },
            });
            if (flags.json) printJson({ from, to, ...result });
            else {
              process.stdout.write(
                `${flags.collection}: ${result.copied} points copied ${from} → ${to}; ${result.targetPoints} points in ${to} (${result.sourcePoints} in ${from}); ` +
                  `top-10 identical for ${result.identicalSearches} of ${result.sampleSearches} sample searches; ` +
                  (result.activated ? `${to} serves it as ${result.version}${result.replaced ? ` (${result.replaced} dropped)` : ''}\n` : `not served: ${result.version} kept unread\n`),
              );
            }
            if (!result.activated) {
              throw new EmbedlineError(
                'STORE_REJECTED',
                `the copy of "${flags.collection}" in ${to} differs: ${result.targetPoints} points vs ${result.sourcePoints}` +
                  (result.differences.length > 0 ? `; ${result.differences[0]}` : '') +
                  ` (not served; ${result.version} stays unread, and running again resumes into it)`,
              );
            }
          } finally {
            for (const hold of holds) await hold.release();
            await Promise.all([source.close(), target.close()]);
          }
        }),
      ),
    );
}

/** The identity a store of this kind has for leases: EMBEDLINE_STORE_ID names the configured store only. */
function storeIdOf(kind: StoreKind, config: Pick<Config, 'qdrantUrl' | 'dataDir' | 'storeId'>): string {
  const configured: StoreKind = config.qdrantUrl ? 'qdrant' : 'local';
  return kind === configured ? config.storeId : storeIdentity(kind === 'qdrant' ? config.qdrantUrl : undefined, resolve(config.dataDir));
}
