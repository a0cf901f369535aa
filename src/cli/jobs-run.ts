// What `embedline jobs` does once its flags are parsed (jobs-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { withContext } from './context.ts';
import { printJson, printTable } from './output.ts';
import { positiveInt } from './model-options.ts';

export function listFailedJobs(flags: { limit: string; json?: boolean }): Promise<void> {
  return withContext(async (ctx) => {
    const limit = positiveInt(flags.limit, '--limit');
    const failed = await ctx.redis(() => ctx.queue().failedJobs(limit));
    if (flags.json) return printJson({ failed });
    printTable(
      failed.map((f) => ({ id: f.id, collection: f.collection, chunks: f.chunks, attempts: f.attempts, documents: f.documents.slice(0, 3).join(',') + (f.documents.length > 3 ? ',…' : ''), reason: f.reason })),
      ['id', 'collection', 'chunks', 'attempts', 'documents', 'reason'],
    );
  });
}

export function retryFailedJobs(ids: string[], flags: { json?: boolean }): Promise<void> {
  return withContext(async (ctx) => {
    const retried = await ctx.redis(() => ctx.queue().retryFailed(ids));
    if (flags.json) printJson({ retried });
    else process.stdout.write(`re-queued ${retried} job(s)\n`);
  });
}
