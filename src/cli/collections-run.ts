// What `embedline collections` does once its flags are parsed (collections-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { withContext } from './context.ts';
import { indexingText } from './indexing-note.ts';
import { printJson, printTable } from './output.ts';
import type { CollectionPlacement } from '../store/vector-store.ts';

/** `3 × 2 copies, writes 2`: shards, copies of each, copies that confirm a write. */
function placementText(placement: CollectionPlacement): string {
  return `${placement.shards} × ${placement.replicationFactor} ${placement.replicationFactor === 1 ? 'copy' : 'copies'}, writes ${placement.writeConsistency}`;
}

export function runCollectionsCommand(flags: { json?: boolean }): Promise<void> {
  return withContext(async (ctx) => {
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
  });
}
