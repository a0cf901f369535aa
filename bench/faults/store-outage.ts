// What a 30 s store outage costs an ingest (fault 3), for both stores (a script, not a test):
//
//   npx tsx bench/faults/store-outage.ts [--docs 1500] [--outage-s 30] [--stores qdrant,local]
//
// Per store, the same seeded corpus twice into fresh collections with one external `embedline
// worker`: a clean run, then a run whose store goes away for the outage once 2 jobs have completed
// (the Qdrant stand-in behind a proxy answering 503 or cutting connections; the embedded store's
// folder mounted read-only, which needs root). Reports expected and found points, duplicates, lost
// points, failed jobs, jobs completed while the store was down (must be 0), recovery (store back to
// last job done) and the cost (outage run minus clean run), and writes bench/faults/last-store-outage.md.
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { EMBED_JOB_OPTIONS } from '../../src/queue/embed-job.ts';
import { isolatedEnv } from '../../test/support/isolated-env.ts';
import { localSwitch, qdrantSwitch, runOutageIngest, type OutageRun, type StoreKind, type StoreSwitch } from '../../test/support/store-outage.ts';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '1500' }, 'outage-s': { type: 'string', default: '30' }, stores: { type: 'string', default: 'qdrant,local' } } });
const documents = Number(values.docs);
const outageMs = Number(values['outage-s']) * 1000;
const stores = values.stores.split(',') as StoreKind[];

interface Row {
  store: StoreKind;
  clean: OutageRun;
  outage: OutageRun;
}

async function measure(kind: StoreKind, outage: boolean): Promise<OutageRun> {
  const iso = isolatedEnv(`bench-outage-${kind}`);
  const store: StoreSwitch = kind === 'qdrant' ? await qdrantSwitch() : localSwitch(iso.dataDir);
  try {
    return await runOutageIngest({
      store,
      env: iso.env,
      dir: iso.dir,
      collection: `bench-${kind}`,
      documents,
      outageMs: outage ? outageMs : 0,
      downAfterJobs: 2,
      timeoutMs: 20 * 60_000,
    });
  } finally {
    await store.stop();
    await iso.cleanup();
  }
}

const loadBefore = loadavg()[0];
const rows: Row[] = [];
for (const kind of stores) {
  const clean = await measure(kind, false);
  const outage = await measure(kind, true);
  rows.push({ store: kind, clean, outage });
  console.log(kind, { clean: { ...clean, workerLog: undefined }, outage: { ...outage, workerLog: undefined } });
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const table = [
  '| store | docs (= expected points) | jobs | found | duplicates | lost | failed jobs | completed while down | most jobs in backoff | clean run s | outage run s | recovery s (store back → done) | cost s |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(({ store, clean, outage }) =>
    [
      store,
      outage.expected,
      outage.jobs,
      outage.found,
      Math.max(0, outage.found - outage.expected),
      Math.max(0, outage.expected - outage.found),
      outage.failed,
      outage.completedWhileDown,
      outage.maxDelayed,
      s(clean.totalMs),
      s(outage.totalMs),
      s(outage.recoveryMs),
      s(outage.totalMs - clean.totalMs),
    ].join(' | '),
  ).map((line) => `| ${line} |`),
].join('\n');

const { backoff, attempts } = EMBED_JOB_OPTIONS;
const report = `# Store outage: what ${values['outage-s']} s without the store costs an ingest

\`npx tsx bench/faults/store-outage.ts --docs ${documents} --outage-s ${values['outage-s']}\`, ${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores shared
with other work (1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end: the clean and
outage runs are not equally loaded, so the cost column is rough); one external worker
(concurrency 2), real Redis; Qdrant is the stand-in behind a proxy that answers 503 or cuts the
connection while down; the local store's folder is mounted read-only.
The outage starts once 2 jobs have completed. Job retries: ${attempts} attempts, exponential backoff from
${backoff.delay / 1000} s with ${backoff.jitter * 100}% jitter (src/queue/embed-job.ts).

${table}

Found = the collection's point count after the run; ids are derived from (collection, document,
chunk), so a job redone after a failed write overwrites rather than duplicates. Completed while
down must be 0: a job is acknowledged only after the store confirmed its write. Recovery is bounded
by the backoff: a job that failed just before the store returned waits out its current delay
(up to ${(backoff.delay * 2 ** (attempts - 2)) / 1000} s for the last retry).
`;
writeFileSync(new URL('./last-store-outage.md', import.meta.url), report);
console.log(report);
