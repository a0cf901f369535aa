// The operations side of the commands that embed: the Prometheus metrics that --metrics-port asks
// for (of a worker or of an ingest's in-process workers, telemetry/worker-metrics.ts) and tracing (on
// when OTEL_EXPORTER_OTLP_ENDPOINT is set, telemetry/tracing.ts), started together and stopped
// together, so the spans still buffered are sent before the command exits. Loaded only by a command
// that runs: the flags themselves are in telemetry-options.ts.
import type { Config } from '../config.ts';
import { log } from '../log.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import type { EmbedWorkerOptions } from '../worker/embed-worker.ts';
import { jobObserver } from '../telemetry/job-observer.ts';
import { serveMetrics, type MetricsServer } from '../telemetry/metrics-server.ts';
import { startTracing, stopTracing } from '../telemetry/tracing.ts';
import { WorkerMetrics } from '../telemetry/worker-metrics.ts';
import { portFlag, type MetricsFlags } from './telemetry-options.ts';

/** What a command that runs workers wires into them; without --metrics-port the wrappers pass things through. */
export interface WorkerTelemetry {
  embedder<T extends Parameters<WorkerMetrics['observeEmbedder']>[0]>(embedder: T): T;
  store(store: VectorStore): VectorStore;
  /** The workers' job callbacks' share: job metrics and a span per job. */
  events: Required<Pick<EmbedWorkerOptions, 'onJobDone' | 'onJobFailed'>>;
  /**
   * Starts listening on --metrics-port (if given), once the workers are there: a command that fails
   * before has no listener left to keep it alive.
   */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorkerTelemetry(flags: MetricsFlags, config: Pick<Config, 'tracing'>, queue: () => EmbedQueue): Promise<WorkerTelemetry> {
  const port = flags.metricsPort === undefined ? undefined : portFlag(flags.metricsPort, '--metrics-port');
  await startTracing(config.tracing);
  const metrics = port === undefined ? undefined : new WorkerMetrics();
  let server: MetricsServer | undefined;
  const jobs = jobObserver(metrics);
  return {
    embedder: (embedder) => metrics?.observeEmbedder(embedder) ?? embedder,
    store: (store) => metrics?.observeStore(store) ?? store,
    events: {
      onJobDone: (job, chunks, superseded) => jobs.done(job, chunks, superseded),
      onJobFailed: (job, err) => job && jobs.failed(job, err),
    },
    listen: async () => {
      if (!metrics || port === undefined || server) return;
      // Only now: the queue's Redis connection, like the listener, must not outlive a failed start.
      metrics.watchQueue(queue());
      server = await serveMetrics(metrics.registry, flags.metricsHost, port);
      log('info', 'metrics.listening', { url: server.url });
    },
    close: async () => {
      await server?.close();
      await stopTracing();
    },
  };
}

/** Runs a command's work with tracing on when configured, and sends the buffered spans after it. */
export async function withTracing<T>(config: Pick<Config, 'tracing'>, work: () => Promise<T>): Promise<T> {
  await startTracing(config.tracing);
  try {
    return await work();
  } finally {
    await stopTracing();
  }
}
