// `embedline worker`: a long-running embedding worker; start any number, on any machine, all
// pointed at the same Redis and store.
import type { Command } from 'commander';
import { log } from '../log.ts';
import { evictionPolicyWarning } from '../queue/redis-connection.ts';
import { createEmbedWorker } from '../worker/embed-worker.ts';
import { commandContext } from './context.ts';
import { action } from './run-command.ts';
import { listenForStop } from './stop-signal.ts';
import { addModelOptions, embedderFromFlags, positiveInt, type ModelFlags } from './model-options.ts';

interface WorkerFlags extends ModelFlags {
  concurrency: string;
}

export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('run an embedding worker until SIGTERM/SIGINT (finishes its active jobs, then exits 0)')
    .option('--concurrency <n>', 'jobs held at once; their chunks are embedded together', '4');
  addModelOptions(command, { pooling: false }).action(
    action(async (flags: WorkerFlags) => {
      const stopRequested = listenForStop();
      log('info', 'worker.starting', { pid: process.pid });
      const ctx = commandContext();
      const warning = await evictionPolicyWarning(ctx.connection);
      if (warning) log('warn', 'redis.eviction-policy', { message: warning });
      const embedder = await embedderFromFlags({ ...flags, model: ctx.modelDir(flags.model) });
      const worker = createEmbedWorker({
        connection: ctx.connection,
        prefix: ctx.config.queuePrefix,
        embedder,
        store: ctx.store(),
        concurrency: positiveInt(flags.concurrency, '--concurrency'),
        lockDurationMs: optionalMs('EMBEDLINE_LOCK_DURATION_MS'),
        stalledIntervalMs: optionalMs('EMBEDLINE_STALLED_INTERVAL_MS'),
        onJobDone: (job, chunks) => log('info', 'job.completed', { job: job.id, collection: job.data.collection, chunks }),
        onJobFailed: (job, err) => log('warn', 'job.failed', { job: job?.id, attempt: job?.attemptsMade, reason: err.message }),
      });
      await worker.waitUntilReady();
      log('info', 'worker.ready', { model: embedder.info.name, quantized: embedder.info.quantized, store: ctx.store().kind, concurrency: flags.concurrency, pid: process.pid });
      const signal = await stopRequested;
      log('info', 'worker.stopping', { signal });
      // close() stops taking jobs and waits for the active ones to finish and be acknowledged.
      await worker.close();
      await ctx.close();
      log('info', 'worker.stopped');
    }),
  );
}

function optionalMs(name: string): number | undefined {
  const value = process.env[name];
  return value ? positiveInt(value, name) : undefined;
}
