// Fault 6: two "hosts": two workers with separate EMBEDLINE_DATA folders (no shared disk), one
// Redis and the Qdrant stand-in; one of them is killed with kill -9 mid-run and never comes back.
// The other must pick up its jobs once their locks expire, and the collection must end complete
// and exact with no re-run.
import { conclude, withRig, type FaultContext, type FaultResult } from './fault-result.ts';

export async function twoHostsFault(ctx: FaultContext): Promise<FaultResult> {
  return withRig(ctx, 'f6-two-hosts', 'qdrant', {}, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    const jobs = ctx.clean().jobs;
    const completed = await rig.waitForCompletedJobs(Math.min(90, Math.max(1, Math.floor(ctx.between(0.2, 0.5) * jobs))), ingest);
    const notes = [`worker killed with ${completed} of ${jobs} jobs completed`];
    const [victim] = rig.liveReadyWorkers();
    if (!ingest.alive() || !victim) notes.push('the ingest ended before the kill (corpus too small)');
    victim?.signal('SIGKILL');
    const killedAt = performance.now();
    ctx.log(`  kill -9 ${victim?.name} (host gone for good)`);
    return conclude(rig, ctx, { id: '6', fault: 'two hosts (separate EMBEDLINE_DATA, Qdrant stand-in), one killed for good', runs: 1, ingest, faultAt: killedAt, rerunIsRemedy: false, notes });
  });
}
