// Version scenario c: `reindex` of a collection, and while it copies, an ingest of a superset (the
// same documents plus new ones). Either the ingest is refused with one line and, run again once the
// reindex is over, lands exactly; or it runs and the result is exact anyway. Never: exit 0 and the
// new documents dropped at the reindex's switch.
import { ingestArgs } from '../../test/support/versioned-corpus.ts';
import { describeIngest } from './fault-result.ts';
import { COLLECTION, ingestOutcome } from './ingest-rig.ts';
import { conclude, corpusVersion, exitedZero, ingestVersion, withVersionRig, type VersionContext, type VersionResult } from './version-result.ts';

const NAME = 'vc-reindex-ingest';
/** New documents in the superset, as a share of the corpus. */
const ADDED_SHARE = 0.2;
const REINDEX_PROGRESS = /reindex\.progress/;

export async function reindexIngestScenario(ctx: VersionContext): Promise<VersionResult> {
  return withVersionRig(ctx, NAME, async (rig) => {
    const startedAt = performance.now();
    const v1 = corpusVersion(ctx, NAME, 1);
    const added = Math.max(1, Math.round(ctx.documents * ADDED_SHARE));
    const superset = corpusVersion(ctx, NAME, 1, ctx.documents + added, 'superset');
    const notes: string[] = [];
    const base = await ingestVersion(rig, v1);
    notes.push(`v1 (${ctx.documents} documents): ${describeIngest(base)}`);

    const reindex = rig.startCommand('reindex', ['reindex', '--collection', COLLECTION, '--grace-seconds', '0', '--json'], REINDEX_PROGRESS);
    const copying = await reindex.ready.then(() => true, () => false);
    notes.push(copying ? `reindex started copying after ${((performance.now() - reindex.startedAt) / 1000).toFixed(1)} s; the superset ingest starts now` : 'the reindex ended before it reported progress: the ingest below did not overlap it');
    const duringChild = rig.startCommand('ingest superset during reindex', ingestArgs(superset));
    const during = await ingestOutcome(duringChild);
    const stderrLineCount = duringChild.stderr().trim().split('\n').filter(Boolean).length;
    const reindexOutcome = await ingestOutcome(reindex);
    const overlapped = during.exit.ms > 0 && reindex.startedAt + reindexOutcome.exit.ms > performance.now() - during.exit.ms;
    notes.push(`superset (+${added} new) during the reindex: ${describeIngest(during)}${exitedZero(during) ? '' : ` (${stderrLineCount} stderr line(s))`}`);
    notes.push(`reindex: exit ${reindexOutcome.exit.code} in ${(reindexOutcome.exit.ms / 1000).toFixed(1)} s${overlapped ? ', overlapping the ingest' : ', over before the ingest ended'}`);
    let last = during;
    if (!exitedZero(during)) {
      last = await ingestVersion(rig, superset);
      notes.push(`the superset again, after the reindex: ${describeIngest(last)}`);
    }
    const refusedOrRan = exitedZero(during) ? 'ran during it' : 'refused, then run again';
    return conclude(rig, { id: 'c', scenario: `ingest of a superset (+${added}) during \`reindex\` (${refusedOrRan})`, expected: `v1 + ${added} new documents`, texts: superset.texts, startedAt, allExitedZero: exitedZero(base) && exitedZero(last) && reindexOutcome.exit.code === 0, notes });
  });
}
