// `embedline status`: queue counts, throughput, failures, collections, and the configuration in force.
// The flags only: what the command does is in status-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('queue counts, throughput, failures and collections')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { json?: boolean }) => (await import('./status-run.ts')).runStatusCommand(flags)),
    );
}
