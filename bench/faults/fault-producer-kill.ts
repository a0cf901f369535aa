// Fault 4: the producer (`ingest --workers 0`) killed with kill -9 mid-file while two external
// workers keep embedding what it had queued; once they have drained the queue the user runs the
// same ingest again, and the end state must equal a clean run's (a document whose
// chunks went into two jobs must not be counted as current when only part of it was stored).
import { setTimeout as sleep } from 'node:timers/promises';
import { conclude, withRig, type FaultContext, type FaultResult } from './fault-result.ts';
import type { StoreKind } from './ingest-rig.ts';

const DRAIN_TIMEOUT_MS = 180_000;
const POLL_MS = 100;

export async function producerKillFault(ctx: FaultContext, store: StoreKind): Promise<FaultResult> {
  return withRig(ctx, 'f4-producer-kill', store, {}, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    // Mid-file means while it is still queueing: kill it right after a random one of the jobs a
    // clean run queues, which is also where a document's chunks can straddle two jobs.
    const target = Math.min(90, Math.max(1, Math.floor(ctx.between(0.1, 0.8) * ctx.clean().jobs)));
    let queued = 0;
    while (ingest.alive() && (queued = await rig.jobsQueued()) < target) await sleep(POLL_MS);
    const notes = [`killed with ${queued} of the clean run's ${ctx.clean().jobs} jobs queued`];
    if (!ingest.alive()) notes.push('the ingest ended before the kill (corpus too small)');
    ingest.signal('SIGKILL');
    const killedAt = performance.now();
    ctx.log('  kill -9 the producer; waiting for the workers to drain the queue');
    await ingest.exited;
    const drained = await rig.waitForDrain(DRAIN_TIMEOUT_MS);
    notes.push(drained ? `queue drained ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill` : `queue NOT drained within ${DRAIN_TIMEOUT_MS / 1000} s`);
    return conclude(rig, ctx, { id: '4', fault: 'producer killed with kill -9 mid-file, then run again', runs: 1, ingest, faultAt: killedAt, rerunIsRemedy: true, notes });
  });
}
