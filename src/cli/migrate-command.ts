// `embedline migrate --collection NAME --to qdrant` (or `--from qdrant --to local`): copies a
// collection between two stores (the kinds of store/backends.ts: the embedded store and Qdrant at
// QDRANT_URL) without re-embedding, verifies point counts and a sample of searches, and only then
// serves the copy under the name (see store/migrate-collection.ts). The collection is held
// exclusively in both stores meanwhile (queue/collection-lease.ts): an ingest into either is
// refused, and the migrate is refused while one runs, so no write lands in the source after its
// points were read.
// The flags only: what the command does is in migrate-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { DEFAULT_MIGRATE_BATCH } from '../store/migrate-collection.ts';
import { kindChoices, STORE_BACKENDS } from '../store/backends.ts';
import { action } from './run-command.ts';
import type { MigrateFlags } from './migrate-run.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(`copy a collection (vectors, payloads, spec) between stores without re-embedding, then verify it; the stores: ${STORE_BACKENDS.map((backend) => `${backend.kind}, ${backend.about}`).join('; ')}`)
    .requiredOption('--collection <name>', 'collection to copy')
    .requiredOption('--to <store>', kindChoices())
    .option('--from <store>', `${kindChoices()} (default: the configured store, or the other one)`)
    .option('--batch <n>', 'points per write', String(DEFAULT_MIGRATE_BATCH))
    .option('--json', 'print the result as JSON')
    .action(
      action(async (flags: MigrateFlags) => (await import('./migrate-run.ts')).runMigrateCommand(flags)),
    );
}
