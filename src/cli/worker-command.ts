// `embedline worker`: a long-running embedding worker; start any number, on any machine, all
// pointed at the same Redis and store.
// The flags only: what the command does is in worker-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { WORKER_CONCURRENCY } from '../core/run-plans.ts';
import { action } from './run-command.ts';
import { addMetricsOptions } from './telemetry-options.ts';
import { addModelOptions } from './model-options.ts';
import type { WorkerFlags } from './worker-run.ts';

export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('run an embedding worker until SIGTERM/SIGINT (finishes its active jobs, then exits 0)')
    .option('--concurrency <n>', 'jobs held at once; their chunks are embedded together', String(WORKER_CONCURRENCY));
  addMetricsOptions(addModelOptions(command, { pooling: false }), 'this worker').action(
    action(async (flags: WorkerFlags) => (await import('./worker-run.ts')).runWorkerCommand(flags)),
  );
}
