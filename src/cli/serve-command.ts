// `embedline serve`: the search HTTP API, its web page, metrics and Bull Board, over the store and
// Redis the other commands use. Runs until SIGTERM/SIGINT, then stops taking connections, lets
// in-flight requests finish, and closes the store and Redis.
import type { Command } from 'commander';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { CollectionModels, SERVER_QUERY_THREADS } from '../search/collection-models.ts';
import { buildSearchServer } from '../search/http/build-search-server.ts';
import { commandContext } from './context.ts';
import { positiveInt } from './model-options.ts';
import { action } from './run-command.ts';
import { listenForStop } from './stop-signal.ts';

interface ServeFlags {
  port: string;
  host: string;
  model?: string;
  threads?: string;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new EmbedlineError('CONFIG_INVALID', `--port must be 0-65535, got "${value}"`);
  return n;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the search API, the search page at /, /metrics and Bull Board at /admin/queues')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on (0.0.0.0 for all interfaces)', '127.0.0.1')
    .option('--model <dir>', 'folder holding the models collections were built with (default: $EMBEDLINE_MODEL)')
    .option('--threads <n>', `onnxruntime threads per query run (default: $EMBEDLINE_THREADS or ${SERVER_QUERY_THREADS}; runs go in parallel, one per core)`)
    .action(
      action(async (flags: ServeFlags) => {
        const stopRequested = listenForStop();
        const ctx = commandContext();
        const port = portNumber(flags.port);
        const threads = positiveInt(flags.threads ?? process.env.EMBEDLINE_THREADS ?? String(SERVER_QUERY_THREADS), '--threads');
        const queue = ctx.queue();
        // BullMQ re-emits Redis connection errors; unhandled they would end the process, and a
        // search server should keep answering (and /health report Redis down) instead.
        let lastQueueError = '';
        queue.queue.on('error', (err) => {
          if (err.message !== lastQueueError) log('warn', 'serve.redis-error', { message: err.message });
          lastQueueError = err.message;
        });
        const app = await buildSearchServer({
          store: ctx.store(),
          models: new CollectionModels(ctx.modelDir(flags.model), threads),
          queue,
          config: ctx.config,
        });
        const url = await app.listen({ port, host: flags.host });
        log('info', 'serve.ready', {
          url,
          store: ctx.store().kind,
          apiKey: ctx.config.apiKey !== undefined,
          queryBatchWindowMs: ctx.config.server.queryBatchWindowMs,
          rateLimitPerMinute: ctx.config.server.rateLimitPerMinute ?? null,
          pid: process.pid,
        });
        const signal = await stopRequested;
        log('info', 'serve.stopping', { signal });
        await app.close();
        await ctx.close();
        log('info', 'serve.stopped');
      }),
    );
}
