// Fault 1: kill -9 of a worker process at random moments during an ingest with two external
// workers (`ingest --workers 0` + 2 `embedline worker`s). Each killed worker is replaced at once,
// as a supervisor would; its jobs must come back after the lock expires and be redone, so the store
// ends exactly as after a clean run with no re-run.
import { setTimeout as sleep } from 'node:timers/promises';
import { conclude, withRig, type FaultContext, type FaultResult } from './fault-result.ts';
import type { StoreKind } from './ingest-rig.ts';

export async function workerKillFault(ctx: FaultContext, store: StoreKind, kills: number): Promise<FaultResult> {
  return withRig(ctx, 'f1-worker-kill', store, {}, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    // Spread the kills over about the first 60% of a clean run's time, at random moments.
    const gapSeconds = Math.max(1, (ctx.clean().seconds * 0.6) / kills);
    let done = 0;
    let lastKillAt = performance.now();
    while (done < kills && ingest.alive()) {
      await sleep(ctx.between(0.3, 1.7) * gapSeconds * 1000);
      const candidates = rig.liveReadyWorkers();
      if (!ingest.alive() || candidates.length === 0) continue;
      const victim = candidates[Math.floor(ctx.between(0, candidates.length))];
      victim.signal('SIGKILL');
      lastKillAt = performance.now();
      done++;
      ctx.log(`  kill -9 ${victim.name} (${done}/${kills})`);
      rig.startWorker();
    }
    return conclude(rig, ctx, {
      id: '1',
      fault: `kill -9 of a worker at random moments, ${kills}× (2 external workers, each replaced)`,
      runs: done,
      ingest,
      faultAt: lastKillAt,
      rerunIsRemedy: false,
      notes: done < kills ? [`only ${done} kills fitted before the ingest ended`] : [],
    });
  });
}
