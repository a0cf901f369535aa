// Version scenario a: the producer of a v1 ingest (in-process worker) killed with kill -9 twice
// while it queues, so v1 jobs are left in the queue; v1 then ingested to its end, v2 (every text
// changed) ingested to its end; only then `embedline worker` is started, as the docs say, to
// finish the leftovers. Every leftover must complete as superseded and the store keep v2 exactly.
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestArgs } from '../../test/support/versioned-corpus.ts';
import { describeIngest } from './fault-result.ts';
import { checkStore, conclude, corpusVersion, describeCheck, exitedZero, ingestVersion, stopWorkers, withVersionRig, type VersionContext, type VersionResult } from './version-result.ts';

const NAME = 'va-stale-leftovers';
const KILLS = 2;
const POLL_MS = 50;
const DRAIN_TIMEOUT_MS = 240_000;

export async function staleLeftoversScenario(ctx: VersionContext): Promise<VersionResult> {
  return withVersionRig(ctx, NAME, async (rig) => {
    const startedAt = performance.now();
    const v1 = corpusVersion(ctx, NAME, 1);
    const v2 = corpusVersion(ctx, NAME, 2);
    const notes: string[] = [];
    for (let kill = 1; kill <= KILLS; kill++) {
      const before = await rig.jobsQueued();
      const target = before + Math.round(ctx.between(1, 4));
      const producer = rig.startCommand(`ingest v1 (to be killed, ${kill})`, ingestArgs(v1));
      while (producer.alive() && (await rig.jobsQueued()) < target) await sleep(POLL_MS);
      producer.signal('SIGKILL');
      await producer.exited;
      const c = await rig.queueCounts();
      notes.push(`kill -9 of the v1 producer (in-process worker) #${kill}: ${c.waiting} waiting, ${c.active} active, ${c.delayed} delayed, ${c.completed} completed`);
    }
    const whole1 = await ingestVersion(rig, v1);
    const whole2 = await ingestVersion(rig, v2);
    notes.push(`v1 to its end: ${describeIngest(whole1)}`, `v2 to its end: ${describeIngest(whole2)}`);
    const beforeWorker = await rig.queueCounts();
    const leftovers = beforeWorker.waiting + beforeWorker.delayed + beforeWorker.active;
    notes.push(`before \`embedline worker\`: ${leftovers} leftover jobs (${beforeWorker.superseded} superseded so far); store: ${describeCheck(await checkStore(rig, v2.texts))}`);

    await rig.startWorkers(1);
    const drainStart = performance.now();
    const drained = await rig.waitForDrain(DRAIN_TIMEOUT_MS);
    const after = await rig.queueCounts();
    notes.push(
      drained
        ? `\`embedline worker\` drained the queue in ${((performance.now() - drainStart) / 1000).toFixed(1)} s: ${after.superseded - beforeWorker.superseded} jobs completed as superseded, ${after.failed} failed`
        : `queue NOT drained within ${DRAIN_TIMEOUT_MS / 1000} s`,
    );
    await stopWorkers(rig);
    return conclude(rig, { id: 'a', scenario: `leftover v1 jobs of a producer killed ${KILLS}× (kill -9), finished by \`embedline worker\` after v2`, expected: 'v2', texts: v2.texts, startedAt, allExitedZero: exitedZero(whole1) && exitedZero(whole2), notes });
  });
}
