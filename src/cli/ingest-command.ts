// `embedline ingest SOURCE --collection NAME`: the main job. Maps the flags to a plan, runs it
// (src/core/run-ingest.ts reads the source, queues chunks, runs N in-process workers or none for
// external workers, and waits), shows its progress, and prints the summary: with rejects, the
// rejects file and the commonest reasons. More rejects than --max-rejects makes a finished run end
// with TOO_MANY_REJECTS, exit 3 (no bound by default: a run with some bad rows still exits 0).
// This file holds the flags only; the run (ingest-run.ts) loads when the command runs.
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { INGEST_DEFAULTS } from '../core/run-plans.ts';
import { addPromptOptions } from './prompt-options.ts';
import { addModelOptions } from './model-options.ts';
import { action } from './run-command.ts';
import { addMetricsOptions } from './telemetry-options.ts';
import { addSourceOptions } from './source-flags.ts';
import type { IngestFlags } from './ingest-run.ts';

export function registerIngestCommand(program: Command): void {
  const command = program
    .command('ingest <source>')
    .description('index a CSV/TSV file, a JSONL file or a folder of .txt/.md files into a collection')
    .requiredOption('--collection <name>', 'collection to create or update', checkCollectionName);
  addSourceOptions(command)
    .option('--no-normalize', 'store unnormalised vectors (dot-product collection)')
    .option('--prune', 'delete documents the collection holds but the source no longer has')
    .option('--bulk-load', 'Qdrant: defer HNSW index building until this load has finished (for large loads)')
    .option('--rejects <file>', 'where bad rows go, appended to (default: a new file per run, $EMBEDLINE_DATA/rejects/<collection>-<UTC time>.jsonl)')
    .option('--max-rejects <n>', 'exit 3 (TOO_MANY_REJECTS) when more records than this were rejected (default: no bound)')
    .option('--workers <n>', 'in-process workers; 0 only queues, for external `embedline worker`s', String(INGEST_DEFAULTS.workers))
    .option('--concurrency <n>', 'jobs each in-process worker holds at once', String(INGEST_DEFAULTS.concurrency))
    .option('--no-wait', 'return once everything is queued (with --workers 0)')
    .option('--no-progress', 'no progress bar or progress logs')
    .option('--json', 'print the summary as JSON');
  addMetricsOptions(command, 'its in-process workers');
  addPromptOptions(addModelOptions(command)).action(
    action(async (sourcePath: string, flags: IngestFlags) =>
      (await import('./ingest-run.ts')).runIngestCommand(sourcePath, flags),
    ),
  );
}
