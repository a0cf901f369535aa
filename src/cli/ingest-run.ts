// What `embedline ingest` does once its flags are parsed (ingest-command.ts defines them): maps them
// to a plan, runs it (src/core/run-ingest.ts), shows its progress and prints the summary. Loaded by
// the command's action only, so that --help, --version and usage errors do not load the pipeline.
import { EmbedlineError } from '../errors.ts';
import { incompleteRunSummary, runIngest, type IngestRunPlan, type IngestSummary } from '../core/run-ingest.ts';
import { ingestPlan } from '../core/run-plans.ts';
import { withContext, type CommandContext } from './context.ts';
import { promptFlags, type PromptFlags } from './prompt-options.ts';
import { nonNegativeInt, poolingFlag, positiveInt, type ModelFlags } from './model-options.ts';
import { modelChoiceFromFlags } from './model-loading.ts';
import { printJson } from './output.ts';
import { indexingNote } from './indexing-note.ts';
import { createProgressReporter, type ProgressReporter } from './progress.ts';
import { listenForStop } from './stop-signal.ts';
import type { MetricsFlags } from './telemetry-options.ts';
import { startWorkerTelemetry } from './worker-telemetry.ts';
import type { ModelChoice } from '../core/model-choice.ts';
import { inSpan } from '../telemetry/tracing.ts';
import { chunkOptionsFromFlags, sourceOptions, type SourceFlags } from './source-flags.ts';

export interface IngestFlags extends ModelFlags, SourceFlags, PromptFlags, MetricsFlags {
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

export function runIngestCommand(sourcePath: string, flags: IngestFlags): Promise<void> {
  return withContext(async (ctx) => {
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
  });
}
