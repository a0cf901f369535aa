// What `embedline calibrate` does once its flags are parsed (calibrate-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { basename } from 'node:path';
import { EmbedlineError } from '../errors.ts';
import { CollectionModels } from '../search/collection-models.ts';
import { calibrateScoreFloor, readUnrelatedPairs } from '../search/score-floor.ts';
import { withContext } from './context.ts';
import { printJson } from './output.ts';

export interface CalibrateFlags {
  collection: string;
  pairs: string;
  model?: string;
  json?: boolean;
}

export function runCalibrateCommand(flags: CalibrateFlags): Promise<void> {
  return withContext(async (ctx) => {
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
  });
}
