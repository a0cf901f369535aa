// `embedline collections`: what the store holds.
import type { Command } from 'commander';
import { withContext } from './context.ts';
import { indexingText } from './indexing-note.ts';
import { printJson, printTable } from './output.ts';
import { action } from './run-command.ts';

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
          }));
          if (flags.json) return printJson({ collections: rows });
          printTable(
            rows.map(({ fields, ...row }) => row),
            ['name', 'points', 'documents', 'model', 'pooling', 'dims', 'index'],
          );
        }),
      ),
    );
}
