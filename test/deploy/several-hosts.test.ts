// The "Several machines" recipe (docs/operations.md), on one machine: two `embedline worker` processes that
// share nothing but REDIS_URL and QDRANT_URL (each its own EMBEDLINE_DATA, as on separate hosts with
// no shared disk), fed by the compose file's default producer command, against the Qdrant stand-in.
// Both workers take jobs, every chunk lands in Qdrant once, a third "host" searches it, and the
// compose worker health check reads a real worker's heartbeat.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { asList, COMPOSE_FILE, loadCompose, runHealthcheck } from '../support/compose-file.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { startQdrantStandin, type QdrantStandin } from '../support/qdrant-standin.ts';
import { PROJECT_ROOT, runCli, startCli } from '../support/run-cli.ts';
import { sampleArticles, sampleQueries } from '../support/sample-collection.ts';

const iso = isolatedEnv('several-hosts');
let standin: QdrantStandin;
/** What the hosts have in common. The queue prefix only keeps this test apart from others on the shared Redis. */
let shared: NodeJS.ProcessEnv;
const hostEnv = (host: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...shared,
  EMBEDLINE_DATA: join(iso.dir, host),
  EMBEDLINE_THREADS: '1',
  ...extra,
});
const compose = loadCompose(readFileSync(COMPOSE_FILE, 'utf8'));
const HEARTBEAT_IN_COMPOSE = (compose.services.worker.environment as Record<string, string>).EMBEDLINE_WORKER_HEARTBEAT_FILE;

before(async () => {
  standin = await startQdrantStandin();
  shared = { REDIS_URL: iso.env.REDIS_URL, QDRANT_URL: standin.url, EMBEDLINE_QUEUE_PREFIX: iso.prefix };
});
after(async () => {
  await standin?.stop();
  await iso.cleanup();
});

/** The chunks each worker reported in its job.completed log lines. */
function completedChunks(stderr: string): number[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('"job.completed"'))
    .map((line) => (JSON.parse(line) as { chunks: number }).chunks);
}

test('two workers on separate data folders share the work of the compose producer; a third host searches it', async () => {
  const heartbeat = join(iso.dir, 'worker-a.alive');
  const workers = [
    startCli(['worker', '--concurrency', '1'], { env: hostEnv('host-a', { EMBEDLINE_WORKER_HEARTBEAT_FILE: heartbeat }), ready: /worker\.ready/, timeoutMs: 120_000 }),
    startCli(['worker', '--concurrency', '1'], { env: hostEnv('host-b'), ready: /worker\.ready/, timeoutMs: 120_000 }),
  ];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const check = compose.services.worker.healthcheck?.test as string[];
    assert.equal(await runHealthcheck(check, HEARTBEAT_IN_COMPOSE, heartbeat), true, 'the compose health check finds the running worker unhealthy');

    // The compose producer's default command, with its /data mount pointing at ./samples.
    const args = asList(compose.services.producer.command).map((a) => a.replace(/^\/data\//, join(PROJECT_ROOT, 'samples') + '/'));
    const ingest = await runCli([...args, '--json'], { env: hostEnv('producer'), timeoutMs: 600_000 });
    assert.equal(ingest.code, 0, ingest.stderr);
    const summary = JSON.parse(ingest.stdout) as { added: number; chunks: number; rejected: number };
    assert.ok(summary.added === sampleArticles().length && summary.rejected === 0, ingest.stdout);

    const perWorker = workers.map((w) => completedChunks(w.output().stderr));
    assert.ok(perWorker.every((jobs) => jobs.length > 0), `each worker took jobs: ${JSON.stringify(perWorker)}`);
    assert.equal(perWorker.flat().reduce((a, b) => a + b, 0), summary.chunks, 'every chunk embedded exactly once');

    const collections = await runCli(['collections', '--json'], { env: hostEnv('host-c') });
    assert.equal(collections.code, 0, collections.stderr);
    const articles = (JSON.parse(collections.stdout) as { collections: Array<{ name: string; points: number }> }).collections.find((c) => c.name === 'articles');
    assert.equal(articles?.points, summary.chunks);
    const { query, expected } = sampleQueries()[0];
    const search = await runCli(['search', query, '--collection', 'articles', '--json'], { env: hostEnv('host-c') });
    assert.equal(search.code, 0, search.stderr);
    assert.equal((JSON.parse(search.stdout) as { hits: Array<{ documentId: string }> }).hits[0].documentId, expected);

    // Nothing was written to the workers' own folders: the vectors live in Qdrant only.
    for (const host of ['host-a', 'host-b']) {
      const dir = join(iso.dir, host);
      assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], [], `${host} wrote to its EMBEDLINE_DATA`);
    }
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    assert.deepEqual(codes, [0, 0]);
  }
  assert.equal(existsSync(heartbeat), false, 'a stopped worker leaves no heartbeat behind');
});
