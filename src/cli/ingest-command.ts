// `embedline ingest SOURCE --collection NAME`: the main job. Maps the flags to a plan, runs it
// (src/core/run-ingest.ts reads the source, queues chunks, runs N in-process workers or none for
// external workers, and waits), shows its progress, and prints the summary: with rejects, the
// rejects file and the commonest reasons. More rejects than --max-rejects makes a finished run end
// with TOO_MANY_REJECTS, exit 3 (no bound by default: a run with some bad rows still exits 0).
import type { Command } from 'commander';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { EmbedlineError } from '../errors.ts';
import { incompleteRunSummary, runIngest, type IngestRunPlan, type IngestSummary } from '../core/run-ingest.ts';
import { INGEST_DEFAULTS, ingestPlan } from '../core/run-plans.ts';
import { withContext, type CommandContext } from './context.ts';
import { addPromptOptions, promptFlags, type PromptFlags } from './prompt-options.ts';
import { addModelOptions, modelChoiceFromFlags, nonNegativeInt, poolingFlag, positiveInt, type ModelFlags } from './model-options.ts';
import { printJson } from './output.ts';
import { indexingNote } from './indexing-note.ts';
import { createProgressReporter, type ProgressReporter } from './progress.ts';
import { action } from './run-command.ts';
import { listenForStop } from './stop-signal.ts';
import { addMetricsOptions, startWorkerTelemetry, type MetricsFlags } from './telemetry-options.ts';
import type { ModelChoice } from '../core/model-choice.ts';
import { inSpan } from '../telemetry/tracing.ts';
import { addSourceOptions, chunkOptionsFromFlags, sourceOptions, type SourceFlags } from './source-flags.ts';

interface IngestFlags extends ModelFlags, SourceFlags, PromptFlags, MetricsFlags {
  collection: string;
  normalize: boolean;
  prune?: boolean;
  bulkLoad?: boolean;
  rejects?: string;
  maxRejects?: string;
  workers: string;
  concurrency: string;
  wait: boolean;
  json?: boolean;
  progress: boolean;
}

function planFromFlags(sourcePath: string, flags: IngestFlags, ctx: CommandContext): IngestRunPlan {
  return ingestPlan({
    source: sourcePath,
    sourceOptions: sourceOptions(flags),
    collection: flags.collection,
    model: modelChoiceFromFlags(flags, ctx.modelDir(flags.model)),
    pooling: poolingFlag(flags),
    normalize: flags.normalize,
    prompts: promptFlags(flags),
    ...chunkOptionsFromFlags(flags),
    workers: nonNegativeInt(flags.workers, '--workers'),
    concurrency: positiveInt(flags.concurrency, '--concurrency'),
    wait: flags.wait,
    prune: flags.prune,
    bulkLoad: flags.bulkLoad,
    rejectsPath: flags.rejects,
  });
}

function printSummary({ collectionInfo, ...summary }: IngestSummary, json: boolean | undefined): void {
  if (json) return printJson(summary);
  // requeued is null when the run did not wait: then only what was queued is known.
  const waited = summary.requeued !== null;
  process.stdout.write(
    `${summary.collection}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.deleted} deleted, ${summary.rejected} rejected; ` +
      `${waited ? `${summary.chunks} chunks embedded` : `${summary.chunksQueued} chunks queued in ${summary.jobs} jobs`}\n`,
  );
  if (summary.repaired > 0) process.stdout.write(`${summary.repaired} incomplete document(s) from an earlier run queued again\n`);
  if (summary.stale > 0) process.stdout.write(`${summary.stale} document(s) left as they are: a later run already wrote them (stale)\n`);
  if (summary.requeued !== null && summary.requeued > 0) {
    process.stdout.write(`${summary.requeued} document(s) whose jobs vanished from Redis were queued again from the source\n`);
  }
  if (summary.superseded > 0) process.stdout.write(`${summary.superseded} job(s) superseded: a newer ingest had already written their documents\n`);
  if (summary.pruneSkipped) process.stdout.write(`${summary.pruneSkipped}\n`);
  if (summary.rejectsFile) {
    process.stdout.write(`rejected rows: ${summary.rejectsFile}\n`);
    for (const { reason, count } of summary.rejectReasons ?? []) process.stdout.write(`  ${count}× ${reason}\n`);
  }
  const note = indexingNote(collectionInfo);
  if (note) process.stdout.write(`${note}\n`);
}

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
    action((sourcePath: string, flags: IngestFlags) =>
      withContext(async (ctx) => {
        const plan = planFromFlags(sourcePath, flags, ctx);
        const maxRejects = flags.maxRejects === undefined ? undefined : nonNegativeInt(flags.maxRejects, '--max-rejects');
        // The bar starts with the run's first report (after the source opened and the model loaded),
        // so a run that fails before that leaves no bar behind on the terminal.
        let progress: ProgressReporter | undefined;
        // Ctrl-C or SIGTERM stops the run: its workers finish their active jobs and the summary, with
        // `lost` counted against the store, is printed as for any run that stopped early. A second
        // signal quits at once (listenForStop listens for the first only).
        const stop = new AbortController();
        void listenForStop().then((signal) => stop.abort(signal));
        // Metrics of the in-process workers (--metrics-port) and traces (OTEL_EXPORTER_OTLP_ENDPOINT):
        // the run is one span, the parent of every job it queues.
        const telemetry = await startWorkerTelemetry(flags, ctx.config, ctx.queue);
        const deps = {
          store: telemetry.store(ctx.store()),
          queue: ctx.queue,
          connection: ctx.connection,
          config: ctx.config,
          stop: stop.signal,
          loadEmbedder: async (choice: ModelChoice) => telemetry.embedder(await ctx.runtime.loadModel(choice)),
          workerEvents: telemetry.events,
        };
        let summary: IngestSummary;
        let incomplete: unknown;
        try {
          await telemetry.listen();
          summary = await inSpan('embedline.ingest', { 'embedline.collection': plan.collection, 'embedline.source': sourcePath }, () =>
            runIngest(plan, deps, (state) => (progress ??= createProgressReporter(flags.progress)).update(state)),
          );
        } catch (err) {
          // A run that left documents out still prints its summary, then fails with the error.
          const partial = incompleteRunSummary(err);
          if (!partial) throw err;
          summary = partial;
          incomplete = err;
        } finally {
          progress?.stop();
          await telemetry.close();
        }
        printSummary(summary, flags.json);
        if (incomplete) throw incomplete;
        if (maxRejects !== undefined && summary.rejected > maxRejects) {
          throw new EmbedlineError('TOO_MANY_REJECTS', `${summary.rejected} record(s) were rejected, over --max-rejects ${maxRejects}; see ${summary.rejectsFile}`, {
            details: { rejected: summary.rejected, maxRejects },
          });
        }
      }),
    ),
  );
}
