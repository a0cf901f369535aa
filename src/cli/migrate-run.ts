// What `embedline migrate` does once its flags are parsed (migrate-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { randomUUID } from 'node:crypto';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { migrateCollection } from '../store/migrate-collection.ts';
import { claimCollection, type HeldLease } from '../queue/collection-lease.ts';
import { configuredBackend, parseStoreKind, STORE_BACKENDS, type AnyBackend, type StoreKind } from '../store/backends.ts';
import { withContext } from './context.ts';
import { positiveInt } from './model-options.ts';
import { printJson } from './output.ts';

export interface MigrateFlags {
  collection: string;
  to: string;
  from?: string;
  batch: string;
  json?: boolean;
}

/**
 * --from when not given: the configured store unless it is --to, else the first other kind of the
 * table (with two kinds: the other one, whose own setting must then be there).
 */
export function defaultSource<T extends readonly AnyBackend[] = typeof STORE_BACKENDS>(to: string, config: Parameters<typeof configuredBackend>[0], table: T = STORE_BACKENDS as unknown as T): T[number]['kind'] {
  const others = table.filter((backend) => backend.kind !== to);
  if (others.length === 0) throw new EmbedlineError('CONFIG_INVALID', `--to is ${to}, the only kind of store there is: nothing to move`);
  const configured = configuredBackend(config, table);
  return (others.includes(configured) ? configured : others[0]).kind;
}

export function runMigrateCommand(flags: MigrateFlags): Promise<void> {
  return withContext(async (ctx) => {
    const to: StoreKind = parseStoreKind(flags.to, '--to');
    const from: StoreKind = flags.from === undefined ? defaultSource(to, ctx.config) : parseStoreKind(flags.from, '--from');
    if (from === to) throw new EmbedlineError('CONFIG_INVALID', `--from and --to are both ${to}: nothing to move`);
    const batchSize = positiveInt(flags.batch, '--batch');
    const source = ctx.runtime.storeOfKind(from);
    const target = ctx.runtime.storeOfKind(to);
    const holds: HeldLease[] = [];
    try {
      const id = randomUUID();
      // EMBEDLINE_STORE_ID names the configured store only; the other side is held under its own identity.
      for (const { place } of [source, target]) {
        holds.push(await claimCollection({ connection: ctx.connection, prefix: ctx.config.queuePrefix, storeId: place.id }, flags.collection, 'exclusive', id, `a migrate ${from} → ${to}`));
      }
      let lastLog = 0;
      const result = await migrateCollection(source.store, target.store, flags.collection, {
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
      if (flags.json) printJson({ from, to, fromStore: source.place.where, toStore: target.place.where, ...result });
      else {
        process.stdout.write(
          `${flags.collection}: ${result.copied} points copied ${from} (${source.place.where}) → ${to} (${target.place.where}); ${result.targetPoints} points in ${to} (${result.sourcePoints} in ${from}); ` +
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
    }
  });
}
