// `embedline calibrate`: computes a collection's "no close match" floor from STS Benchmark pairs
// judged unrelated (src/search/score-floor.ts), embedded with the collection's own model, pooling
// and normalisation, and records it with the collection. Searches then say "no close match" when
// their best hit scores below it (CLI, HTTP `noCloseMatch`, the page).
// The flags only: what the command does is in calibrate-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { UNRELATED_MAX_GOLD } from '../search/score-floor.ts';
import { action } from './run-command.ts';
import type { CalibrateFlags } from './calibrate-run.ts';

export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description('record a collection\'s "no close match" floor: the 95th percentile score of unrelated STS Benchmark pairs under its model')
    .requiredOption('--collection <name>', 'collection to calibrate', checkCollectionName)
    .requiredOption('--pairs <file>', `STS Benchmark file (tab-separated, e.g. sts-dev.csv); pairs scored <= ${UNRELATED_MAX_GOLD} are the unrelated ones`)
    .option('--model <dir-or-id>', "model folder or Hub id (default: $EMBEDLINE_MODEL or the default Hub id; the collection's recorded model when it differs)")
    .option('--json', 'print JSON')
    .action(
      action(async (flags: CalibrateFlags) => (await import('./calibrate-run.ts')).runCalibrateCommand(flags)),
    );
}
