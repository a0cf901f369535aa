// `embedline ingest SOURCE --collection NAME`: the main job. Reads the source, queues chunks, runs
// N in-process workers (or none, for external workers), waits, and prints the summary.
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { checkCollectionName } from '../contracts/collection-name.ts';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { collectionSpecFor, queueIngest, type ProducerProgress, type QueuedIngest } from '../producer/ingest.ts';
import { openSource } from '../producer/sources/open-source.ts';
import { RejectsFile } from '../producer/rejects-file.ts';
import { ingestVerified, MAX_HEAL_PASSES, type VerifiedIngest } from '../producer/verified-ingest.ts';
import { evictionPolicyWarning } from '../queue/redis-connection.ts';
import { createEmbedWorker } from '../worker/embed-worker.ts';
import { withContext } from './context.ts';
import { addModelOptions, embedderFromFlags, nonNegativeInt, poolingFlag, positiveInt, type ModelFlags } from './model-options.ts';
import { printJson } from './output.ts';
import { indexingNote } from './indexing-note.ts';
import { createProgressReporter, type IngestProgressState } from './progress.ts';
import { action } from './run-command.ts';
import { addSourceOptions, chunkSettingsFromFlags, sourceOptions, type SourceFlags } from './source-flags.ts';

interface IngestFlags extends ModelFlags, SourceFlags {
  collection: string;
  normalize: boolean;
  prune?: boolean;
  bulkLoad?: boolean;
  rejects?: string;
  workers: string;
  concurrency: string;
  wait: boolean;
  json?: boolean;
  progress: boolean;
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
    .option('--rejects <file>', 'where bad rows go (default: $EMBEDLINE_DATA/rejects/<collection>.jsonl)')
    .option('--workers <n>', 'in-process workers; 0 only queues, for external `embedline worker`s', '1')
    .option('--concurrency <n>', 'jobs each in-process worker holds at once', '4')
    .option('--no-wait', 'return once everything is queued (with --workers 0)')
    .option('--no-progress', 'no progress bar or progress logs')
    .option('--json', 'print the summary as JSON');
  addModelOptions(command).action(
    action((sourcePath: string, flags: IngestFlags) =>
      withContext(async (ctx) => {
        const workers = nonNegativeInt(flags.workers, '--workers');
        if (!flags.wait && workers > 0) throw new EmbedlineError('CONFIG_INVALID', '--no-wait only makes sense with --workers 0 (in-process workers stop when the command returns)');
        const warning = await evictionPolicyWarning(ctx.connection);
        if (warning) log('warn', 'redis.eviction-policy', { message: warning });
        // The source is opened (header checked) before the model loads: a typo fails in milliseconds.
        const source = await openSource(sourcePath, sourceOptions(flags));
        const embedder = await embedderFromFlags({ ...flags, model: ctx.modelDir(flags.model) });
        const settings = chunkSettingsFromFlags(flags, embedder);
        const store = ctx.store();
        const queue = ctx.queue();
        const rejects = await RejectsFile.open(flags.rejects ?? join(ctx.config.dataDir, 'rejects', `${flags.collection}.jsonl`));
        const state: IngestProgressState = { documents: 0, rejected: 0, chunksQueued: 0, chunksEmbedded: 0, sourceDone: false };
        const progress = createProgressReporter(flags.progress);
        // In-process workers serve this run only; with --workers 0 external workers serve every job.
        const run = workers > 0 ? randomUUID() : undefined;
        const inProcessWorkers = Array.from({ length: workers }, () =>
          createEmbedWorker({
            connection: ctx.connection,
            prefix: ctx.config.queuePrefix,
            embedder,
            store,
            storeId: ctx.config.storeId,
            onlyRun: run,
            concurrency: positiveInt(flags.concurrency, '--concurrency'),
            onJobFailed: (job, err) => log('warn', 'job.failed', { job: job?.id, attempt: job?.attemptsMade, reason: err.message }),
          }),
        );
        let bulkLoading = false;
        try {
          if (flags.bulkLoad) {
            if (!flags.wait) throw new EmbedlineError('CONFIG_INVALID', '--bulk-load needs to wait for the load to finish (drop --no-wait)');
            await store.ensureCollection(flags.collection, collectionSpecFor(embedder, { pooling: poolingFlag(flags), normalize: flags.normalize, settings }));
            await store.beginBulkLoad?.(flags.collection);
            bulkLoading = true;
          }
          const plan = { collection: flags.collection, source, settings, pooling: poolingFlag(flags), normalize: flags.normalize, prune: flags.prune, storeId: ctx.config.storeId, run };
          const deps = { embedder, store, queue, rejects };
          const onProducerProgress = (p: ProducerProgress) => progress.update(Object.assign(state, p));
          const endOfSource = () => {
            state.sourceDone = true;
            progress.update(state);
          };
          let queued: QueuedIngest;
          let verified: VerifiedIngest | undefined;
          if (flags.wait) {
            verified = await ingestVerified(plan, deps, {
              onProducerProgress,
              onQueued: endOfSource,
              onChunksEmbedded: (chunks) => {
                state.chunksEmbedded = chunks;
                progress.update(state);
              },
            });
            queued = verified.first;
            // A bulk load is when indexes are worth (re)building; for Qdrant this also ends bulk-load mode.
            await store.optimize(flags.collection);
            bulkLoading = false;
          } else {
            queued = await queueIngest(plan, deps, onProducerProgress);
            endOfSource();
          }
          const indexing = flags.wait ? await store.describe(flags.collection) : undefined;
          progress.stop();
          const summary = {
            added: queued.added,
            unchanged: queued.unchanged,
            updated: queued.updated,
            repaired: queued.repaired,
            deleted: queued.deleted,
            rejected: queued.rejected,
            chunks: verified?.chunks ?? 0,
            chunksQueued: queued.chunksQueued,
            jobs: queued.jobs.size,
            failedJobs: verified?.failedJobs ?? 0,
            // Checked against the store only when the run waits; null: not known with --no-wait.
            requeued: verified ? verified.requeued : null,
            lost: verified ? verified.lost : null,
            collection: flags.collection,
            rejectsFile: queued.rejected > 0 ? rejects.path : undefined,
            indexing: indexing?.indexing?.state,
          };
          if (flags.json) printJson(summary);
          else {
            process.stdout.write(
              `${flags.collection}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.deleted} deleted, ${summary.rejected} rejected; ` +
                `${verified ? `${summary.chunks} chunks embedded` : `${summary.chunksQueued} chunks queued in ${summary.jobs} jobs`}\n`,
            );
            if (summary.repaired > 0) process.stdout.write(`${summary.repaired} incomplete document(s) from an earlier run queued again\n`);
            if (verified && verified.requeued > 0) {
              process.stdout.write(`${verified.requeued} document(s) whose jobs vanished from Redis were queued again from the source\n`);
            }
            if (summary.rejectsFile) process.stdout.write(`rejected rows: ${summary.rejectsFile}\n`);
            const note = indexingNote(indexing);
            if (note) process.stdout.write(`${note}\n`);
          }
          if (verified && verified.failedJobs > 0) {
            throw new EmbedlineError(
              'STORE_REJECTED',
              `${verified.failedJobs} job(s) failed for good and ${verified.lost} document(s) are not in the store; see \`embedline jobs failed\`, then \`embedline jobs retry\``,
            );
          }
          if (verified && verified.lost > 0) {
            throw new EmbedlineError(
              'QUEUE_UNAVAILABLE',
              `${verified.lost} document(s) are not in the store after ${MAX_HEAL_PASSES} rounds of queueing them again (queue state kept vanishing): run the same ingest again`,
              { retryable: true },
            );
          }
        } finally {
          progress.stop();
          if (bulkLoading) await store.endBulkLoad?.(flags.collection).catch((err: unknown) => log('error', 'bulk-load.restore-failed', { message: String(err) }));
          await rejects.close();
          await Promise.all(inProcessWorkers.map((w) => w.close()));
        }
      }),
    ),
  );
}
