// Fault 5: SIGTERM to a busy worker (the way an operator scales down or a container stops). The
// worker must stop taking jobs, finish or return its active ones, exit 0 within a bounded time, and
// leave no job active without a lock (that would wait for the stall check, or be lost). A fresh
// worker replaces it, and the ingest must end exact with no re-run.
import { setTimeout as sleep } from 'node:timers/promises';
import { conclude, withRig, type FaultContext, type FaultResult } from './fault-result.ts';
import type { StoreKind } from './ingest-rig.ts';

/** A worker finishing its active jobs (concurrency 4, one busy session) is well within this. */
const STOP_DEADLINE_MS = 60_000;

export async function workerSigtermFault(ctx: FaultContext, store: StoreKind, signals: number): Promise<FaultResult> {
  return withRig(ctx, 'f5-worker-sigterm', store, {}, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    const gapSeconds = Math.max(1, (ctx.clean().seconds * 0.6) / signals);
    const stops: string[] = [];
    let orphans = 0;
    let done = 0;
    let lastSignalAt = performance.now();
    while (done < signals && ingest.alive()) {
      await sleep(ctx.between(0.5, 1.5) * gapSeconds * 1000);
      const counts = await rig.queueCounts();
      const candidates = rig.liveReadyWorkers();
      if (!ingest.alive() || candidates.length === 0 || counts.active === 0) continue; // only a busy worker counts
      const victim = candidates[Math.floor(ctx.between(0, candidates.length))];
      victim.signal('SIGTERM');
      lastSignalAt = performance.now();
      done++;
      const stopped = await Promise.race([victim.exited, sleep(STOP_DEADLINE_MS).then(() => undefined)]);
      if (!stopped) {
        stops.push(`no exit within ${STOP_DEADLINE_MS / 1000} s (then SIGKILL)`);
        victim.signal('SIGKILL');
        await victim.exited;
      } else stops.push(`exit ${stopped.code ?? stopped.signal} after ${((performance.now() - lastSignalAt) / 1000).toFixed(1)} s`);
      const left = await rig.orphanedActiveJobs();
      orphans += left.length;
      ctx.log(`  SIGTERM ${victim.name} (${done}/${signals}): ${stops[stops.length - 1]}, ${left.length} active job(s) left without a lock`);
      rig.startWorker();
    }
    const notes = [`${done} SIGTERM(s) to busy workers: ${stops.join('; ') || 'none sent'}; active jobs left without a lock: ${orphans}`];
    const result = await conclude(rig, ctx, { id: '5', fault: 'SIGTERM to a busy worker (replaced by a fresh one)', runs: done, ingest, faultAt: lastSignalAt, rerunIsRemedy: false, notes });
    const cleanStops = stops.every((s) => s.startsWith('exit 0 ')) && orphans === 0;
    return { ...result, exact: result.exact && cleanStops };
  });
}
