// `embedline collections`: what the store holds (on Qdrant also each collection's shards, copies
// per shard and write consistency, as Qdrant reports them).
// The flags only: what the command does is in collections-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';

export function registerCollectionsCommand(program: Command): void {
  program
    .command('collections')
    .description('list collections: name, points, documents, model, pooling, dims, index state')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { json?: boolean }) => (await import('./collections-run.ts')).runCollectionsCommand(flags)),
    );
}
