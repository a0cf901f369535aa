// What `embedline worker` does once its flags are parsed (worker-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { log } from '../log.ts';
import { EmbedlineError, isEmbedlineError } from '../errors.ts';
import { evictionPolicyWarning, redisAddress, whileRedisAnswers } from '../queue/redis-connection.ts';
import { redisErrorLog } from '../queue/redis-error-log.ts';
import { createEmbedWorker } from '../worker/embed-worker.ts';
import type { WorkerClose } from '../worker/worker-close.ts';
import { commandContext } from './context.ts';
import { listenForStop } from './stop-signal.ts';
import { startHeartbeat } from './worker-heartbeat.ts';
import { type MetricsFlags } from './telemetry-options.ts';
import { startWorkerTelemetry } from './worker-telemetry.ts';
import { loadRecordedModel } from '../hub/resolve-model.ts';
import { deviceFlag, positiveInt, threadsFlag, type ModelFlags } from './model-options.ts';
import { embedderFromFlags } from './model-loading.ts';

export interface WorkerFlags extends ModelFlags, MetricsFlags {
  concurrency: string;
}

export async function runWorkerCommand(flags: WorkerFlags): Promise<void> {
  const stopRequested = listenForStop();
  log('info', 'worker.starting', { pid: process.pid });
  const ctx = commandContext();
  const warning = await evictionPolicyWarning(ctx.connection);
  if (warning) log('warn', 'redis.eviction-policy', { message: warning });
  // Metrics (--metrics-port) and traces (OTEL_EXPORTER_OTLP_ENDPOINT) observe the embedder, the store and the jobs.
  const telemetry = await startWorkerTelemetry(flags, ctx.config, ctx.queue);
  const embedder = telemetry.embedder(await embedderFromFlags({ ...flags, model: ctx.modelDir(flags.model) }));
  // Errors that belong to no job are mostly Redis connection errors while BullMQ reconnects.
  const workerError = redisErrorLog('worker.error', redisAddress(ctx.connection));
  const worker = createEmbedWorker({
    connection: ctx.connection,
    prefix: ctx.config.queuePrefix,
    embedder,
    // A collection built with another model than this worker's gets its recorded one (Hub id at its commit).
    recordedModel: async (spec) => (spec.modelSource ? telemetry.embedder(await loadRecordedModel(spec.modelSource, ctx.config.hub, { ...ctx.config.inference, threads: threadsFlag(flags), device: deviceFlag(flags) })) : undefined),
    store: telemetry.store(ctx.store()),
    storeId: ctx.place.id,
    concurrency: positiveInt(flags.concurrency, '--concurrency'),
    ...ctx.config.worker,
    onJobDone: (job, chunks, superseded) => {
      log('info', superseded > 0 ? 'job.superseded' : 'job.completed', { job: job.id, collection: job.data.collection, chunks, ...(superseded > 0 ? { superseded } : {}) });
      telemetry.events.onJobDone(job, chunks, superseded);
    },
    onJobFailed: (job, err) => {
      if (!job) return workerError(err);
      log('warn', 'job.failed', { job: job.id, attempt: job.attemptsMade, reason: err.message });
      telemetry.events.onJobFailed(job, err);
    },
  });
  await worker.waitUntilReady();
  // A metrics port that cannot be had stops the worker it would have watched.
  await telemetry.listen().catch(async (err: unknown) => {
    await worker.close();
    await telemetry.close();
    await ctx.close();
    throw err;
  });
  const heartbeatFile = ctx.config.workerHeartbeatFile;
  const stopHeartbeat = heartbeatFile ? startHeartbeat(heartbeatFile, () => worker.isRunning()) : () => {};
  log('info', 'worker.ready', { model: embedder.info.name, quantized: embedder.info.quantized, store: ctx.place.kind, where: ctx.place.where, storeId: ctx.place.id, concurrency: flags.concurrency, pid: process.pid });
  const signal = await stopRequested;
  log('info', 'worker.stopping', { signal });
  stopHeartbeat();
  // close() stops taking jobs and waits for the active ones to finish and be acknowledged.
  // That needs Redis: with Redis gone it would wait forever, so the worker gives up then.
  let closed: WorkerClose;
  try {
    closed = await whileRedisAnswers(worker.close(), ctx.connection);
  } catch (err) {
    if (!isEmbedlineError(err) || err.code !== 'QUEUE_UNAVAILABLE') throw err;
    throw new EmbedlineError(
      'QUEUE_UNAVAILABLE',
      `stopped at once: Redis at ${redisAddress(ctx.connection)} does not answer, so active jobs (if any) were not handed back; they return to the queue once their locks expire (EMBEDLINE_LOCK_DURATION_MS)`,
    );
  }
  await telemetry.close();
  await ctx.close();
  if (closed === 'closed') return log('info', 'worker.stopped');
  log('warn', 'worker.close-cut-off', { message: 'every job had returned, but BullMQ did not finish closing; a job not yet acknowledged returns to the queue when its lock expires' });
  // The unfinished close's timers would keep the process alive.
  process.exit(0);

}
