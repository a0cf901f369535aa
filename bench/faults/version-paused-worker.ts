// Version scenario b: an external worker paused with SIGSTOP while it holds v1 jobs (a GC pause, a
// VM migration, a laptop lid); its lock expires, a second worker finishes v1 without it, v2 (every
// text changed) is ingested to its end; only then SIGCONT. The woken worker goes on with its v1
// batch: the store must refuse it (superseded) and keep v2 exactly.
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestArgs } from '../../test/support/versioned-corpus.ts';
import { describeIngest } from './fault-result.ts';
import { ingestOutcome } from './ingest-rig.ts';
import { checkStore, conclude, corpusVersion, describeCheck, exitedZero, ingestVersion, stopWorkers, withVersionRig, type VersionContext, type VersionResult } from './version-result.ts';

const NAME = 'vb-paused-worker';
const PAUSE_ATTEMPTS = 400;
const POLL_MS = 100;
/** What the woken worker logs once it is through its v1 batch: refused, or its lock gone. */
const WOKEN_DONE = /job\.superseded|Missing lock|job\.failed/;
const WAKE_TIMEOUT_MS = 60_000;
const SETTLE_MS = 3000;

export async function pausedWorkerScenario(ctx: VersionContext): Promise<VersionResult> {
  return withVersionRig(ctx, NAME, async (rig) => {
    const startedAt = performance.now();
    const v1 = corpusVersion(ctx, NAME, 1);
    const v2 = corpusVersion(ctx, NAME, 2);
    const notes: string[] = [];
    await rig.startWorkers(1);
    const sleeper = rig.workers[0];
    const first = rig.startCommand('ingest v1 --workers 0', ingestArgs(v1, ['--workers', '0']));
    // Pause it while it holds jobs: with one worker, every active job is its own.
    let held = 0;
    for (let attempt = 0; held === 0 && attempt < PAUSE_ATTEMPTS && first.alive(); attempt++) {
      await sleep(POLL_MS);
      sleeper.signal('SIGSTOP');
      held = (await rig.queueCounts()).active;
      if (held === 0) sleeper.signal('SIGCONT');
    }
    if (held === 0) notes.push('the worker never held a job when paused (v1 over too soon): the scenario did not happen');
    const pausedAt = performance.now();
    notes.push(`SIGSTOP of worker 1 holding ${held} active v1 jobs; a second worker started`);
    await rig.startWorkers(1);
    const whole1 = await ingestOutcome(first);
    const whole2 = await ingestVersion(rig, v2, ['--workers', '0']);
    notes.push(`v1 to its end without it: ${describeIngest(whole1)}`, `v2 to its end: ${describeIngest(whole2)}`);
    notes.push(`store before SIGCONT: ${describeCheck(await checkStore(rig, v2.texts))}`);

    const before = await rig.queueCounts();
    sleeper.signal('SIGCONT');
    notes.push(`SIGCONT after ${((performance.now() - pausedAt) / 1000).toFixed(1)} s paused (lock ${ctx.lockDurationMs / 1000} s)`);
    const deadline = performance.now() + WAKE_TIMEOUT_MS;
    while (!WOKEN_DONE.test(sleeper.stderr()) && performance.now() < deadline) await sleep(POLL_MS * 2);
    await sleep(SETTLE_MS);
    const woken = sleeper.stderr().match(new RegExp(WOKEN_DONE.source, 'g')) ?? [];
    const after = await rig.queueCounts();
    notes.push(
      woken.length > 0
        ? `the woken worker logged ${[...new Set(woken)].map((w) => `${w} ×${woken.filter((x) => x === w).length}`).join(', ')}; ${after.superseded - before.superseded} more jobs superseded`
        : `the woken worker logged none of job.superseded / Missing lock / job.failed within ${WAKE_TIMEOUT_MS / 1000} s`,
    );
    await stopWorkers(rig);
    return conclude(rig, { id: 'b', scenario: 'worker SIGSTOPped past its lock during v1, SIGCONT after v2 (2 external workers)', expected: 'v2', texts: v2.texts, startedAt, allExitedZero: exitedZero(whole1) && exitedZero(whole2), notes });
  });
}
