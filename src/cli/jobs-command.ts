// `embedline jobs failed|retry`: the dead-letter place. Jobs that kept failing stay in BullMQ's
// failed set with their reason until inspected and retried.
// The flags only: what the command does is in jobs-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('inspect and retry failed embedding jobs');
  jobs
    .command('failed')
    .description('list jobs that failed for good, with their reason')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(
      action(async (flags: { limit: string; json?: boolean }) => (await import('./jobs-run.ts')).listFailedJobs(flags)),
    );
  jobs
    .command('retry [ids...]')
    .description('move failed jobs (all, or the given ids) back to the queue')
    .option('--json', 'print JSON')
    .action(
      action(async (ids: string[], flags: { json?: boolean }) => (await import('./jobs-run.ts')).retryFailedJobs(ids, flags)),
    );
}
