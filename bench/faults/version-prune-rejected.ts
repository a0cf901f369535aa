// Version scenario d: `ingest --prune` of v2, a file that lacks a tenth of v1's documents (gone for
// good) and in which one line is damaged (invalid JSON: rejected this run). Prune must delete
// nothing it could not read: the damaged document stays at v1, and since the source was not read
// whole, so do the absent ones. Once the line is repaired, the same command prunes them and the
// store is v2 exactly.
import { readFileSync, writeFileSync } from 'node:fs';
import { holdsExactly } from '../../test/support/versioned-corpus.ts';
import { describeIngest } from './fault-result.ts';
import { checkStore, conclude, corpusVersion, describeCheck, exitedZero, ingestVersion, withVersionRig, type VersionContext, type VersionResult } from './version-result.ts';

const NAME = 'vd-prune-rejected';
/** Documents of v1 absent from v2, as a share of the corpus. */
const REMOVED_SHARE = 0.1;

export async function pruneRejectedScenario(ctx: VersionContext): Promise<VersionResult> {
  return withVersionRig(ctx, NAME, async (rig) => {
    const startedAt = performance.now();
    const v1 = corpusVersion(ctx, NAME, 1);
    const removed = Math.max(1, Math.round(ctx.documents * REMOVED_SHARE));
    const v2 = corpusVersion(ctx, NAME, 2, ctx.documents - removed);
    const notes: string[] = [];
    const base = await ingestVersion(rig, v1);
    notes.push(`v1 (${ctx.documents} documents): ${describeIngest(base)}`);

    // One line loses its closing quote and brace: invalid JSON, a record rejected this run.
    const lines = readFileSync(v2.path, 'utf8').split('\n');
    const damagedLine = Math.floor(ctx.between(3, v2.texts.size));
    const damagedId = [...v2.texts.keys()][damagedLine];
    lines[damagedLine] = lines[damagedLine].slice(0, -2);
    writeFileSync(v2.path, lines.join('\n'));
    const damaged = await ingestVersion(rig, v2, ['--prune']);
    notes.push(`v2 --prune with ${damagedId}'s line damaged and ${removed} documents absent: ${describeIngest(damaged)}, deleted ${damaged.summary?.deleted}, rejected ${damaged.summary?.rejected}`);
    // Expected now: v2 for what was read, v1 for the rejected document and for the absent ones (not pruned).
    const kept = new Map([...v1.texts].map(([id, text]) => [id, id !== damagedId && v2.texts.has(id) ? v2.texts.get(id)! : text]));
    const afterDamaged = await checkStore(rig, kept);
    notes.push(`store after it (expected: ${kept.size - removed - 1} documents at v2, ${damagedId} and the ${removed} absent ones still at v1): ${describeCheck(afterDamaged)}`);

    const repaired = corpusVersion(ctx, NAME, 2, ctx.documents - removed);
    const clean = await ingestVersion(rig, repaired, ['--prune']);
    notes.push(`the line repaired, v2 --prune again: ${describeIngest(clean)}, deleted ${clean.summary?.deleted}`);
    const result = await conclude(rig, {
      id: 'd',
      scenario: `\`ingest --prune\` of v2 with one rejected line and ${removed} documents absent, then repaired`,
      expected: 'v2 (after the repaired run)',
      texts: v2.texts,
      startedAt,
      allExitedZero: exitedZero(base) && exitedZero(damaged) && exitedZero(clean),
      notes,
    });
    // The fault is the damaged run: its store must have been exact too.
    const keptExactly = holdsExactly(afterDamaged);
    if (!keptExactly && exitedZero(damaged)) result.notes.push('SILENT LOSS: the damaged --prune run exited 0 and did not keep what it could not read');
    return { ...result, exact: result.exact && keptExactly, silentLoss: result.silentLoss || (!keptExactly && exitedZero(damaged)) };
  });
}
