// Version scenario e: several versions of the corpus, each ingested to its end, with random faults
// around each (from the runner's seed): the producer of a queue-only run of that version killed
// with kill -9 while it queues (its jobs left over), an external worker that takes leftovers killed
// with kill -9 or paused with SIGSTOP (resumed only at the very end). At the end every paused worker
// resumes and a late `embedline worker` finishes what is left; the store must hold the last version.
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestArgs, type CorpusVersion } from '../../test/support/versioned-corpus.ts';
import { describeIngest } from './fault-result.ts';
import { conclude, corpusVersion, exitedZero, ingestVersion, stopWorkers, withVersionRig, type VersionContext, type VersionResult } from './version-result.ts';

const NAME = 've-random';
export const RANDOM_VERSIONS = 3;
const POLL_MS = 50;
const DRAIN_TIMEOUT_MS = 240_000;

export async function randomVersionsScenario(ctx: VersionContext): Promise<VersionResult> {
  return withVersionRig(ctx, NAME, async (rig) => {
    const startedAt = performance.now();
    const notes: string[] = [];
    let allExitedZero = true;
    let last: CorpusVersion | undefined;
    for (let version = 1; version <= RANDOM_VERSIONS; version++) {
      const corpus = corpusVersion(ctx, NAME, version);
      if (ctx.between(0, 1) < 0.7) {
        const before = await rig.jobsQueued();
        const producer = rig.startCommand(`queue v${version} (to be killed)`, ingestArgs(corpus, ['--workers', '0', '--no-wait']));
        while (producer.alive() && (await rig.jobsQueued()) === before) await sleep(POLL_MS);
        await sleep(ctx.between(0, 300));
        producer.signal('SIGKILL');
        await producer.exited;
        notes.push(`v${version}: queue-only producer killed with kill -9 (${(await rig.queueCounts()).waiting} jobs waiting)`);
      }
      if ((await rig.queueCounts()).waiting > 0 && ctx.between(0, 1) < 0.7) {
        await rig.startWorkers(1);
        const worker = rig.workers[rig.workers.length - 1];
        for (let tries = 0; tries < 100 && (await rig.queueCounts()).active === 0; tries++) await sleep(POLL_MS);
        const afterMs = Math.round(ctx.between(0, 1500));
        await sleep(afterMs);
        const fault = ctx.between(0, 1) < 0.5 ? 'SIGKILL' : 'SIGSTOP';
        worker.signal(fault);
        notes.push(`v${version}: ${worker.name} ${fault === 'SIGKILL' ? 'killed with kill -9' : 'paused with SIGSTOP'} ${afterMs} ms after it took jobs (${(await rig.queueCounts()).active} active)`);
      }
      const whole = await ingestVersion(rig, corpus);
      allExitedZero &&= exitedZero(whole);
      notes.push(`v${version} to its end: ${describeIngest(whole)}`);
      last = corpus;
    }
    await rig.startWorkers(1);
    for (const w of rig.workers) w.signal('SIGCONT');
    const drained = await rig.waitForDrain(DRAIN_TIMEOUT_MS);
    const c = await rig.queueCounts();
    notes.push(`end: paused workers resumed, a late worker started; queue ${drained ? 'drained' : `NOT drained within ${DRAIN_TIMEOUT_MS / 1000} s`}: ${c.superseded} jobs superseded in all, ${c.failed} failed`);
    await stopWorkers(rig);
    return conclude(rig, { id: 'e', scenario: `${RANDOM_VERSIONS} versions with random kill -9 of producers, kill -9 / SIGSTOP of workers, a late worker`, expected: `v${RANDOM_VERSIONS}`, texts: last!.texts, startedAt, allExitedZero, notes });
  });
}
