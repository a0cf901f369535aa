// `embedline jobs failed|retry`: the dead-letter place. Jobs that kept failing stay in BullMQ's
// failed set with their reason until inspected and retried.
import type { Command } from 'commander';
import { withContext } from './context.ts';
import { printJson, printTable } from './output.ts';
import { action } from './run-command.ts';
import { positiveInt } from './model-options.ts';

export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('inspect and retry failed embedding jobs');
  jobs
    .command('failed')
    .description('list jobs that failed for good, with their reason')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(
      action((flags: { limit: string; json?: boolean }) =>
        withContext(async (ctx) => {
          const limit = positiveInt(flags.limit, '--limit');
          const failed = await ctx.redis(() => ctx.queue().failedJobs(limit));
          if (flags.json) return printJson({ failed });
          printTable(
            failed.map((f) => ({ id: f.id, collection: f.collection, chunks: f.chunks, attempts: f.attempts, documents: f.documents.slice(0, 3).join(',') + (f.documents.length > 3 ? ',…' : ''), reason: f.reason })),
            ['id', 'collection', 'chunks', 'attempts', 'documents', 'reason'],
          );
        }),
      ),
    );
  jobs
    .command('retry [ids...]')
    .description('move failed jobs (all, or the given ids) back to the queue')
    .option('--json', 'print JSON')
    .action(
      action((ids: string[], flags: { json?: boolean }) =>
        withContext(async (ctx) => {
          const retried = await ctx.redis(() => ctx.queue().retryFailed(ids));
          if (flags.json) printJson({ retried });
          else process.stdout.write(`re-queued ${retried} job(s)\n`);
        }),
      ),
    );
}
