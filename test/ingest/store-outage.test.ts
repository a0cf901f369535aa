// Store outage (shortened): the store goes away for 6 s while a worker has jobs to do, both
// stores (Qdrant stand-in behind a failing proxy; the embedded store's folder read-only). Jobs
// fail as retryable, wait out BullMQ's backoff, and all complete once the store is back: the
// collection holds exactly the expected points, none completed while the store was down, none
// ended in the failed set. bench/faults/store-outage.ts runs the full 30 s version and times it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolatedEnv } from '../support/isolated-env.ts';
import { localSwitch, qdrantSwitch, runOutageIngest, type StoreKind, type StoreSwitch } from '../support/store-outage.ts';

const OUTAGE_MS = 6_000;
const DOCUMENTS = 300; // 6 jobs: 16 and 32 chunks (the first jobs are smaller), then 64 at most

for (const kind of ['qdrant', 'local'] as StoreKind[]) {
  test(`${kind} store away for ${OUTAGE_MS / 1000} s: jobs back off, then all complete, exact points, none acknowledged while down`, async (t) => {
    const iso = isolatedEnv(`store-outage-${kind}`);
    const store: StoreSwitch = kind === 'qdrant' ? await qdrantSwitch() : localSwitch(iso.dataDir);
    t.after(async () => {
      await store.stop();
      await iso.cleanup();
    });
    const run = await runOutageIngest({ store, env: iso.env, dir: iso.dir, collection: `outage-${kind}`, documents: DOCUMENTS, outageMs: OUTAGE_MS, downAfterJobs: 0, holdUntilRetried: true });

    assert.equal(run.completedWhileDown, 0, 'no job is acknowledged while its points cannot be written');
    assert.ok(run.maxDelayed >= 1, 'jobs failed during the outage and waited out a backoff');
    assert.match(run.workerLog, /"event":"job\.failed".*(is unavailable|local store could not)/, 'the worker logged the store failure');
    assert.equal(run.failed, 0, 'no job used up its attempts');
    assert.deepEqual({ found: run.found, jobs: run.jobs }, { found: run.expected, jobs: 2 + Math.ceil((DOCUMENTS - 16 - 32) / 64) }, 'every point, none twice');
    assert.ok(run.recoveryMs < 60_000, `recovered ${run.recoveryMs} ms after the store came back`);
  });
}
