// The fault suite (a script, not a test): scripted faults on real Redis (a private redis-server
// per run, never the shared one), the embedded store and the Qdrant stand-in; prints one table and
// writes bench/faults/last-run.md.
//
//   npx tsx bench/faults/run.ts [--docs 250] [--faults 1,2a,2b,4,5,6] [--kills 10] [--sigterms 3]
//                               [--outage-seconds 20] [--store local|qdrant] [--seed 1] [--out FILE]
//
// Each run: a clean ingest (embedded store) as the reference for every store, then each fault on a fresh
// private Redis and a fresh store, compared point by point (ids, payload, vector) with the reference.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { killAll } from './cli-child.ts';
import { cleanRun, type CleanRun } from './clean-run.ts';
import { writeCorpus } from './corpus.ts';
import type { FaultContext, FaultResult } from './fault-result.ts';
import { producerKillFault } from './fault-producer-kill.ts';
import { redisOutageFault } from './fault-redis-outage.ts';
import { twoHostsFault } from './fault-two-hosts.ts';
import { workerKillFault } from './fault-worker-kill.ts';
import { workerSigtermFault } from './fault-worker-sigterm.ts';
import type { StoreKind } from './ingest-rig.ts';
import { badInputFixtures, peerReports } from './peer-results.ts';
import { faultTable, renderReport } from './report.ts';

const ALL_FAULTS = ['1', '2a', '2b', '4', '5', '6'] as const;
type FaultId = (typeof ALL_FAULTS)[number];

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '250' },
    faults: { type: 'string', default: ALL_FAULTS.join(',') },
    kills: { type: 'string', default: '10' },
    sigterms: { type: 'string', default: '3' },
    'outage-seconds': { type: 'string', default: '20' },
    store: { type: 'string', default: 'local' },
    'lock-ms': { type: 'string', default: '10000' },
    'stalled-ms': { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(PROJECT_ROOT, 'bench', 'faults', 'last-run.md') },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('npx tsx bench/faults/run.ts [--docs N] [--faults 1,2a,2b,4,5,6] [--kills N] [--sigterms N] [--outage-seconds S] [--store local|qdrant] [--lock-ms MS] [--stalled-ms MS] [--seed N] [--out FILE]\n');
  process.exit(0);
}
const faults = values.faults.split(',').map((f) => f.trim()) as FaultId[];
for (const f of faults) if (!ALL_FAULTS.includes(f)) throw new Error(`--faults: unknown fault "${f}" (known: ${ALL_FAULTS.join(', ')})`);
if (values.store !== 'local' && values.store !== 'qdrant') throw new Error('--store must be local or qdrant');
const store: StoreKind = values.store;
const docs = Number(values.docs);
const kills = Number(values.kills);
const sigterms = Number(values.sigterms);
const outageSeconds = Number(values['outage-seconds']);

const startedAt = new Date();
const started = performance.now();
const loadBefore = loadavg()[0];
const dir = mkdtempSync(join(tmpdir(), 'embedline-faults-'));
const log = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

// mulberry32: a tiny seeded generator, so a run's random moments can be replayed with --seed.
let seed = Number(values.seed) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const corpus = writeCorpus(dir, docs);
let clean: CleanRun | undefined;
const ctx: FaultContext = {
  dir,
  corpus,
  lockDurationMs: Number(values['lock-ms']),
  stalledIntervalMs: Number(values['stalled-ms']),
  clean: () => {
    if (!clean) throw new Error('no clean run yet');
    return clean;
  },
  // A faulted ingest may take longer than a clean one, but not 3× as long plus 2 minutes: then it hangs.
  // The clean run itself gets a generous fixed deadline.
  ingestTimeoutMs: () => (clean ? clean.seconds * 3000 + 120_000 : 20 * 60_000),
  between: (low, high) => low + random() * (high - low),
  log,
};

const results: FaultResult[] = [];
try {
  log(`clean run on the local store (${docs} documents)`);
  clean = await cleanRun(ctx, 'local');
  log(`  ${clean.rows.length} points in ${clean.seconds.toFixed(1)} s${clean.problems.length ? `; PROBLEMS: ${clean.problems.join('; ')}` : ''}`);
  for (const fault of faults) {
    log(`fault ${fault}`);
    const result = await runFault(fault).catch(
      (error: Error): FaultResult => ({ id: fault, fault: `fault ${fault}`, store: fault === '6' ? 'qdrant' : store, runs: 0, exact: false, silentLoss: false, notes: [`harness error: ${error.message}`] }),
    );
    await killAll();
    results.push(result);
    await writeReport(false);
    log(`  ${faultTable([result])[2]}`);
  }
} finally {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(await writeReport(true));
process.exit(0);

function runFault(fault: FaultId): Promise<FaultResult> {
  switch (fault) {
    case '1':
      return workerKillFault(ctx, store, kills);
    case '2a':
      return redisOutageFault(ctx, store, 'empty', outageSeconds);
    case '2b':
      return redisOutageFault(ctx, store, 'aof', outageSeconds);
    case '4':
      return producerKillFault(ctx, store);
    case '5':
      return workerSigtermFault(ctx, store, sigterms);
    case '6':
      return twoHostsFault(ctx);
  }
}

/** Renders the report so far and writes it: after every fault, so an interrupted suite leaves what it measured. */
async function writeReport(finished: boolean): Promise<string> {
  const minutes = (performance.now() - started) / 60_000;
  const report = renderReport({
    startedAt,
    minutes,
    command: `npx tsx bench/faults/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    settings: [
      ...(finished ? [] : [`**partial report: ${results.length} of ${faults.length} faults done so far**`]),
      `corpus: ${docs} documents (STS-b sentences; 9 in 10 of one to three sentences, 1 in 10 a ~480-token passage of several chunks), CSV with id, body, category`,
      `topology: a private redis-server per run (own port; AOF only for 2b), \`ingest --workers 0\` + 2 external \`embedline worker\`s (1 thread each), embedded store unless Qdrant (stand-in)`,
      `worker lock ${ctx.lockDurationMs} ms, stalled check every ${ctx.stalledIntervalMs} ms (EMBEDLINE_LOCK_DURATION_MS / EMBEDLINE_STALLED_INTERVAL_MS; defaults 60000 / 30000): how soon a killed worker's jobs return`,
      `faults: ${faults.join(', ')}; ${kills} kills (1), ${sigterms} SIGTERMs (5), Redis outage ${outageSeconds} s (2); random moments from seed ${values.seed}; an ingest running past 3 × the clean time + 2 min counts as a hang`,
    ],
    machine: `${availableParallelism()} cores shared with other work: 1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} ${finished ? 'at the end' : 'now'}.`,
    clean,
    results,
    peers: peerReports(),
    fixtures: await badInputFixtures().catch((error: Error) => ({ source: `error reading the fixtures: ${error.message}`, groups: {}, total: 0 })),
  });
  writeFileSync(values.out, report);
  return report;
}
