// The reference: the same corpus ingested with no fault, on the same topology (private Redis, two
// external workers, `ingest --workers 0`), read back from the store. Faulted runs are compared with
// it point by point; its wall time paces the faults' injections and deadlines.
import { comparePoints } from './compare-points.ts';
import { describeIngest, withRig, type CleanReference, type FaultContext } from './fault-result.ts';
import { COLLECTION, ingestOutcome, type StoreKind } from './ingest-rig.ts';

export interface CleanRun extends CleanReference {
  store: StoreKind;
  /** Problems with the clean run itself (it must exit 0, store what it says, each id once). */
  problems: string[];
  description: string;
}

export async function cleanRun(ctx: FaultContext, store: StoreKind): Promise<CleanRun> {
  return withRig(ctx, `clean-${store}`, store, {}, async (rig) => {
    await rig.startWorkers(2);
    const ingest = rig.startIngest();
    const outcome = await ingestOutcome(ingest);
    const rows = await rig.readStore();
    const problems: string[] = [];
    if (outcome.exit.code !== 0) problems.push(describeIngest(outcome));
    const chunks = Number(outcome.summary?.chunks);
    if (chunks !== rows.length) problems.push(`the summary says ${outcome.summary?.chunks} chunks, the store holds ${rows.length} rows`);
    const selfCheck = comparePoints(rows, rows, COLLECTION);
    if (selfCheck.duplicates > 0 || selfCheck.wrongContent > 0) problems.push(`${selfCheck.duplicates} duplicate ids, ${selfCheck.wrongContent} ids not derived from their payload`);
    return { store, rows, seconds: outcome.exit.ms / 1000, jobs: Number(outcome.summary?.jobs ?? 0), problems, description: describeIngest(outcome) };
  });
}
