// What `embedline serve` does once its flags are parsed (serve-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { CollectionModels, SERVER_QUERY_THREADS } from '../search/collection-models.ts';
import { buildSearchServer } from '../serve/build-search-server.ts';
import { withTimeout } from '../serve/with-timeout.ts';
import { commandContext } from './context.ts';
import { startTracing } from '../telemetry/tracing.ts';
import { portFlag } from './telemetry-options.ts';
import { deviceFlag, positiveInt } from './model-options.ts';
import { reportError } from './run-command.ts';
import { listenForStop } from './stop-signal.ts';

export interface ServeFlags {
  port: string;
  host: string;
  model?: string;
  threads?: string;
  device?: string;
}

/** How long closing the server, the store and Redis may take before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 5000;


function listenError(err: unknown, host: string, port: number): EmbedlineError {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new EmbedlineError('CONFIG_INVALID', `cannot listen on ${where}: the port is in use; stop what uses it or pick another --port`);
    case 'EACCES':
      return new EmbedlineError('CONFIG_INVALID', `cannot listen on ${where}: permission denied (ports below 1024 need privileges); pick another --port`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new EmbedlineError('CONFIG_INVALID', `cannot listen on ${where}: no such address on this machine; check --host`);
    default:
      return new EmbedlineError('CONFIG_INVALID', `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Closing waits for Redis when it is reachable; when it is not, the process still ends. */
async function closeWithin(close: () => Promise<unknown>): Promise<void> {
  try {
    await withTimeout(close(), CLOSE_TIMEOUT_MS, 'closing');
  } catch (err) {
    log('warn', 'serve.close-failed', { message: err instanceof Error ? err.message : String(err) });
  }
}

export async function runServeCommand(flags: ServeFlags): Promise<void> {
  const stopRequested = listenForStop();
  const ctx = commandContext();
  const port = portFlag(flags.port, '--port');
  // A span per search when OTEL_EXPORTER_OTLP_ENDPOINT is set; ctx.close() sends the last ones.
  await startTracing(ctx.config.tracing);
  // EMBEDLINE_THREADS is the process's threads in all, as in every command; --threads cuts them into runs.
  const threadsPerRun = flags.threads === undefined ? SERVER_QUERY_THREADS : positiveInt(flags.threads, '--threads');
  const models = new CollectionModels(ctx.modelDir(flags.model), { ...ctx.config.inference, threadsPerRun, device: deviceFlag(flags) }, ctx.config.hub);
  const queue = ctx.queue();
  // The queue logs Redis connection errors itself (queue/redis-error-log.ts); the server keeps
  // answering and /health reports Redis down.
  const app = await buildSearchServer({
    store: ctx.store(),
    models,
    queue,
    config: ctx.config,
  });
  let url: string;
  try {
    url = await app.listen({ port, host: flags.host });
  } catch (err) {
    // Nothing else will end the process (Redis, the store and ONNX threads keep it alive), and
    // a supervisor waiting for readiness must see the failure: one line, exit 1, now.
    reportError(listenError(err, flags.host, port));
    await closeWithin(() => Promise.all([app.close(), ctx.close()]));
    process.exit(1);
  }
  log('info', 'serve.ready', {
    url,
    store: ctx.store().kind,
    apiKey: ctx.config.apiKey !== undefined,
    queryBatchWindowMs: ctx.config.server.queryBatchWindowMs,
    queryRuns: models.parallelRuns,
    rateLimitPerMinute: ctx.config.server.rateLimitPerMinute ?? null,
    pid: process.pid,
  });
  // Warm-up: the folder's model loads now, not on the first request (seconds on a busy host).
  // A folder that does not load is no reason to stop: requests that need it answer why.
  models.folderModel().then(
    (embedder) => log('info', 'serve.model-loaded', { model: embedder.info.name, path: embedder.info.onnxPath }),
    (err: unknown) => log('warn', 'serve.model-unavailable', { message: err instanceof Error ? err.message : String(err) }),
  );
  const signal = await stopRequested;
  log('info', 'serve.stopping', { signal });
  await closeWithin(() => app.close());
  await closeWithin(() => ctx.close());
  log('info', 'serve.stopped');

}
