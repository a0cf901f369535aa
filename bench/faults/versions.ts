// The version-ordering scenarios (a script, not a test): writes of different versions of a document must
// never go backwards. Each scenario runs on a private redis-server and a fresh store, drives the real CLI as
// an operator would (kill -9, SIGSTOP past the lock, reindex, --prune with a rejected line, random faults
// over several versions), then checks the store against the version it must hold last; prints one table and
// writes bench/faults/last-versions.md.
//
//   npx tsx bench/faults/versions.ts [--docs 250] [--scenarios a,b,c,d,e] [--store local|qdrant]
//                                    [--lock-ms 10000] [--stalled-ms 5000] [--seed 1] [--out FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../../test/producer/text-generator.ts';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { killAll } from './cli-child.ts';
import type { StoreKind } from './ingest-rig.ts';
import { pausedWorkerScenario } from './version-paused-worker.ts';
import { pruneRejectedScenario } from './version-prune-rejected.ts';
import { randomVersionsScenario } from './version-random.ts';
import { reindexIngestScenario } from './version-reindex-ingest.ts';
import { renderVersionReport, versionTable } from './version-report.ts';
import type { VersionContext, VersionResult } from './version-result.ts';
import { staleLeftoversScenario } from './version-stale-leftovers.ts';

const ALL_SCENARIOS = ['a', 'b', 'c', 'd', 'e'] as const;
type ScenarioId = (typeof ALL_SCENARIOS)[number];
/** Past this one command (ingest, reindex) counts as hung and is killed. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '250' },
    scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
    store: { type: 'string', default: 'local' },
    'lock-ms': { type: 'string', default: '10000' },
    'stalled-ms': { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(PROJECT_ROOT, 'bench', 'faults', 'last-versions.md') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('npx tsx bench/faults/versions.ts [--docs N] [--scenarios a,b,c,d,e] [--store local|qdrant] [--lock-ms MS] [--stalled-ms MS] [--seed N] [--out FILE]\n');
  process.exit(0);
}
const scenarios = values.scenarios.split(',').map((s) => s.trim()) as ScenarioId[];
for (const s of scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`--scenarios: unknown scenario "${s}" (known: ${ALL_SCENARIOS.join(', ')})`);
if (values.store !== 'local' && values.store !== 'qdrant') throw new Error('--store must be local or qdrant');
const store: StoreKind = values.store;

const startedAt = new Date();
const started = performance.now();
const loadBefore = loadavg()[0];
const random = seededRandom(Number(values.seed));
const ctx: VersionContext = {
  dir: mkdtempSync(join(tmpdir(), 'embedline-versions-')),
  documents: Number(values.docs),
  store,
  lockDurationMs: Number(values['lock-ms']),
  stalledIntervalMs: Number(values['stalled-ms']),
  commandTimeoutMs: COMMAND_TIMEOUT_MS,
  between: (low, high) => low + random() * (high - low),
  log: (message) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
};

const results: VersionResult[] = [];
try {
  for (const id of scenarios) {
    ctx.log(`scenario ${id}`);
    const scenarioStart = performance.now();
    const result = await runScenario(id).catch(
      (error: Error): VersionResult => ({ id, scenario: `scenario ${id}`, store, expected: '—', seconds: (performance.now() - scenarioStart) / 1000, exact: false, silentLoss: false, notes: [`harness error: ${error.message}`] }),
    );
    await killAll();
    results.push(result);
    writeReport(false);
    ctx.log(`  ${versionTable([result])[2]}`);
  }
} finally {
  await killAll();
  rmSync(ctx.dir, { recursive: true, force: true });
}
process.stdout.write(writeReport(true));
process.exit(0);

function runScenario(id: ScenarioId): Promise<VersionResult> {
  switch (id) {
    case 'a':
      return staleLeftoversScenario(ctx);
    case 'b':
      return pausedWorkerScenario(ctx);
    case 'c':
      return reindexIngestScenario(ctx);
    case 'd':
      return pruneRejectedScenario(ctx);
    case 'e':
      return randomVersionsScenario(ctx);
  }
}

/** Renders the report so far and writes it: after every scenario, so an interrupted run leaves what it measured. */
function writeReport(finished: boolean): string {
  const report = renderVersionReport({
    startedAt,
    minutes: (performance.now() - started) / 60_000,
    command: `npx tsx bench/faults/versions.ts ${process.argv.slice(2).join(' ')}`.trim(),
    settings: [
      ...(finished ? [] : [`**partial report: ${results.length} of ${scenarios.length} scenarios done so far**`]),
      `corpus: ${ctx.documents} documents per version (JSON lines, test/support/versioned-corpus.ts): every sentence names its version, so every text changes from one version to the next; documents 0-2 are ~160 sentences (several 64-chunk jobs) in odd versions and 2 in even ones, the rest 1-4 sentences; 32-token chunks`,
      `topology: a private redis-server per scenario, a fresh ${store === 'local' ? 'embedded store' : 'Qdrant stand-in'}; \`embedline ingest\` with its in-process worker unless \`--workers 0\` is said (then external \`embedline worker\`s, 1 thread each)`,
      `worker lock ${ctx.lockDurationMs} ms, stalled check every ${ctx.stalledIntervalMs} ms (EMBEDLINE_LOCK_DURATION_MS / EMBEDLINE_STALLED_INTERVAL_MS); random moments from seed ${values.seed}`,
    ],
    machine: `${availableParallelism()} cores shared with other work: 1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} ${finished ? 'at the end' : 'now'}.`,
    results,
  });
  writeFileSync(values.out, report);
  return report;
}
