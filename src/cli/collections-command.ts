// `embedline collections`: what the store holds (on Qdrant also each collection's shards, copies
// per shard and write consistency, as Qdrant reports them).
import type { Command } from 'commander';
import { withContext } from './context.ts';
import { indexingText } from './indexing-note.ts';
import { printJson, printTable } from './output.ts';
import { action } from './run-command.ts';
import type { CollectionPlacement } from '../store/vector-store.ts';

/** `3 × 2 copies, writes 2`: shards, copies of each, copies that confirm a write. */
function placementText(placement: CollectionPlacement): string {
  return `${placement.shards} × ${placement.replicationFactor} ${placement.replicationFactor === 1 ? 'copy' : 'copies'}, writes ${placement.writeConsistency}`;
}

export function registerCollectionsCommand(program: Command): void {
  program
    .command('collections')
    .description('list collections: name, points, documents, model, pooling, dims, index state')
    .option('--json', 'print JSON')
    .action(
      action((flags: { json?: boolean }) =>
        withContext(async (ctx) => {
          const rows = (await ctx.store().listCollections()).map((c) => ({
            name: c.name,
            points: c.points,
            documents: c.documents,
            model: c.spec.model,
            pooling: c.spec.pooling,
            dims: c.spec.dims,
            normalize: c.spec.normalize,
            distance: c.spec.distance,
            fields: c.fields ?? {},
            index: indexingText(c),
            ...(c.placement ? { placement: c.placement, shards: placementText(c.placement) } : {}),
            // Once `embedline calibrate` recorded one: below it a dense search has no close match.
            ...(c.scoreFloor ? { scoreFloor: c.scoreFloor.value } : {}),
            // The model's prompts the collection was built with (docs/model-families.md#prompts), when it has any.
            ...(c.spec.queryPrompt ? { queryPrompt: c.spec.queryPrompt } : {}),
            ...(c.spec.documentPrompt ? { documentPrompt: c.spec.documentPrompt } : {}),
          }));
          if (flags.json) return printJson({ store: { kind: ctx.place.kind, where: ctx.place.where }, collections: rows });
          printTable(
            rows.map(({ fields, placement, scoreFloor, queryPrompt, documentPrompt, ...row }) => row),
            ['name', 'points', 'documents', 'model', 'pooling', 'dims', 'index', ...(rows.some((row) => row.placement) ? ['shards'] : [])],
          );
          process.stdout.write(`store: ${ctx.place.kind} at ${ctx.place.where}\n`);
        }),
      ),
    );
}
