// Fault 2: Redis stopped mid-ingest for a while (20 s by default) and started again, (a) empty (no
// persistence: every queued job, lock and event is gone) or (b) append-only (AOF: it comes back
// with its data). Wanted: the ingest either finishes exact or exits non-zero with one line saying
// to re-run; never a hang, never exit 0 with chunks missing. A re-run is the documented remedy.
import { setTimeout as sleep } from 'node:timers/promises';
import { conclude, withRig, type FaultContext, type FaultResult } from './fault-result.ts';
import type { StoreKind } from './ingest-rig.ts';

export async function redisOutageFault(ctx: FaultContext, store: StoreKind, variant: 'empty' | 'aof', outageSeconds: number): Promise<FaultResult> {
  const appendOnly = variant === 'aof';
  return withRig(ctx, `f2-redis-${variant}`, store, { appendOnly }, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    const jobs = ctx.clean().jobs;
    const completed = await rig.waitForCompletedJobs(Math.min(90, Math.max(1, Math.floor(ctx.between(0.2, 0.6) * jobs))), ingest);
    const notes = [`Redis stopped with ${completed} of ${jobs} jobs completed`];
    if (!ingest.alive()) notes.push('the ingest ended before the outage began (corpus too small)');
    const stoppedAt = performance.now();
    await rig.redis.stop();
    ctx.log(`  Redis stopped (${variant}) for ${outageSeconds} s`);
    await sleep(outageSeconds * 1000);
    await rig.redis.launch();
    const workersAlive = rig.workers.filter((w) => w.alive()).length;
    if (workersAlive < 2) {
      // Workers should ride out an outage; restart the ones that did not, as a supervisor would.
      notes.push(`${2 - workersAlive} worker(s) exited during the outage (restarted)`);
      for (let i = workersAlive; i < 2; i++) rig.startWorker();
    }
    return conclude(rig, ctx, {
      id: appendOnly ? '2b' : '2a',
      fault: `Redis stopped ${outageSeconds} s mid-ingest, restarted ${appendOnly ? 'with its AOF' : 'empty (no persistence)'}`,
      runs: 1,
      ingest,
      faultAt: stoppedAt,
      rerunIsRemedy: true,
      notes,
    });
  });
}
