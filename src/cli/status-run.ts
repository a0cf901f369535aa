// What `embedline status` does once its flags are parsed (status-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { withContext } from './context.ts';
import { indexingText } from './indexing-note.ts';
import { effectiveConfig, environmentSettings, settingText } from './effective-config.ts';
import { printJson, printTable } from './output.ts';

export function runStatusCommand(flags: { json?: boolean }): Promise<void> {
  return withContext(async (ctx) => {
    const [counts, perMinute, failed, collections] = await ctx.redis(() => {
      const queue = ctx.queue();
      return Promise.all([queue.counts(), queue.throughputPerMinute(5), queue.failedJobs(1000), ctx.store().listCollections()]);
    });
    const failuresByCollection: Record<string, number> = {};
    for (const f of failed) failuresByCollection[f.collection] = (failuresByCollection[f.collection] ?? 0) + 1;
    const report = {
      queue: { ...counts, jobsPerMinute: Number(perMinute.toFixed(2)) },
      collections: collections.map((c) => ({ name: c.name, points: c.points, documents: c.documents, model: c.spec.model, pooling: c.spec.pooling, index: indexingText(c), failedJobs: failuresByCollection[c.name] ?? 0 })),
      config: { store: ctx.place.kind, storeAt: ctx.place.where, model: ctx.modelDir(), ...effectiveConfig(ctx.config) },
      environment: environmentSettings(ctx.config),
    };
    if (flags.json) return printJson(report);
    const q = report.queue;
    process.stdout.write(`queue: ${q.waiting} waiting, ${q.active} active, ${q.delayed} delayed, ${q.completed} completed (${q.superseded} superseded in all), ${q.failed} failed; ${q.jobsPerMinute} jobs/min (last 5 min)\n`);
    printTable(report.collections, ['name', 'points', 'documents', 'model', 'pooling', 'index', 'failedJobs']);
    process.stdout.write(`store: ${report.config.store} at ${report.config.storeAt}; model: ${report.config.model}\n`);
    process.stdout.write('configuration (every variable of src/config.ts, after defaults; secrets masked):\n');
    printTable(
      Object.entries(report.environment).map(([variable, value]) => ({ variable, value: settingText(value) })),
      ['variable', 'value'],
    );
  });
}
