// `embedline serve`: the search HTTP API, its web page, metrics and Bull Board, over the store and
// Redis the other commands use. Runs until SIGTERM/SIGINT, then stops taking connections, lets
// in-flight requests finish, and closes the store and Redis (each within a bound: a Redis that is
// down must not keep the process alive). A port it cannot listen on ends it at once, exit 1.
// The flags only: what the command does is in serve-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { SERVER_QUERY_THREADS } from '../search/server-query-threads.ts';
import { addDeviceOption } from './model-options.ts';
import { action } from './run-command.ts';
import type { ServeFlags } from './serve-run.ts';

export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('serve the search API, the search page at /, /metrics and Bull Board at /admin/queues')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on (0.0.0.0 for all interfaces)', '127.0.0.1')
    .option('--model <dir>', 'folder holding the models collections were built with (default: $EMBEDLINE_MODEL)')
    .option('--threads <n>', `onnxruntime threads per query run (default: ${SERVER_QUERY_THREADS}); runs go in parallel, as many as $EMBEDLINE_THREADS (default: all cores) holds`);
  addDeviceOption(command)
    .action(
      action(async (flags: ServeFlags) => (await import('./serve-run.ts')).runServeCommand(flags)),
    );
}
