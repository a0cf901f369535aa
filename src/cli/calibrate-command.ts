// `embedline calibrate`: computes a collection's "no close match" floor from STS Benchmark pairs
// judged unrelated (src/search/score-floor.ts), embedded with the collection's own model, pooling
// and normalisation, and records it with the collection. Searches then say "no close match" when
// their best hit scores below it (CLI, HTTP `noCloseMatch`, the page).
import type { Command } from 'commander';
import { basename } from 'node:path';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { EmbedlineError } from '../errors.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { calibrateScoreFloor, readUnrelatedPairs, UNRELATED_MAX_GOLD } from '../search/score-floor.ts';
import { withContext } from './context.ts';
import { printJson } from './output.ts';
import { action } from './run-command.ts';

interface CalibrateFlags {
  collection: string;
  pairs: string;
  model?: string;
  json?: boolean;
}

export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description('record a collection\'s "no close match" floor: the 95th percentile score of unrelated STS Benchmark pairs under its model')
    .requiredOption('--collection <name>', 'collection to calibrate', checkCollectionName)
    .requiredOption('--pairs <file>', `STS Benchmark file (tab-separated, e.g. sts-dev.csv); pairs scored <= ${UNRELATED_MAX_GOLD} are the unrelated ones`)
    .option('--model <dir-or-id>', "model folder or Hub id (default: $EMBEDLINE_MODEL or the default Hub id; the collection's recorded model when it differs)")
    .option('--json', 'print JSON')
    .action(
      action((flags: CalibrateFlags) =>
        withContext(async (ctx) => {
          const pairs = readUnrelatedPairs(flags.pairs);
          const store = ctx.store();
          const info = await store.describe(flags.collection);
          if (info === undefined) throw new EmbedlineError('COLLECTION_MISSING', `collection "${flags.collection}" does not exist`, { details: { collection: flags.collection } });
          const { spec } = info;
          const models = new CollectionModels(ctx.modelDir(flags.model), ctx.config.inference, ctx.config.hub);
          const embedder = await models.forSpec(flags.collection, spec);
          const embed = async (texts: string[]) => (await embedder.embed(texts, { pooling: spec.pooling, normalize: spec.normalize, truncate: true })).vectors;
          const floor = await calibrateScoreFloor(pairs, embed, spec.distance, basename(flags.pairs));
          await store.recordScoreFloor(flags.collection, floor);
          if (flags.json) return printJson({ collection: flags.collection, scoreFloor: floor });
          process.stdout.write(`${flags.collection}: no close match below ${floor.value} (${floor.percentile}th percentile of ${floor.pairs} unrelated pairs in ${floor.source}, model ${spec.model})\n`);
        }),
      ),
    );
}
