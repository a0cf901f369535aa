// Worker metrics and traces end to end, as an operator sees them: an `ingest --workers 0` queues the
// sample corpus with tracing on, an `embedline worker --metrics-port 0` embeds it, its /metrics is read
// with a Prometheus text parser, and the spans both sent to a real OTLP/HTTP receiver in this process
// are checked: the run's span is the parent of every job's span (the trace context rode in the jobs,
// from one process to another), then an ingest with in-process workers and a CLI search add their own.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isolatedEnv } from '../support/isolated-env.ts';
import { otlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { histogram, parsePrometheus, sampleValue } from '../support/prometheus-text.ts';
import { PROJECT_ROOT, runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('worker-telemetry');
const COLLECTION = 'traced';
const SOURCE = `${PROJECT_ROOT}samples/articles.csv`;
const INGEST = ['ingest', SOURCE, '--collection', COLLECTION, '--text-column', 'title,body', '--id-column', 'id', '--no-progress', '--json'];

let receiver: OtlpReceiver;
let env: NodeJS.ProcessEnv;

before(async () => {
  receiver = await otlpReceiver();
  env = { ...iso.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'embedline-test' };
});
after(async () => {
  await receiver?.close();
  await iso.cleanup();
});

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as { jobs: number; chunksQueued: number; chunks: number };
const named = (name: string) => receiver.spans.filter((s) => s.name === name);

async function waitFor<T>(what: string, read: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** The URL of the metrics.listening log line. */
function metricsUrl(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => l.includes('"event":"metrics.listening"'));
  return line ? (JSON.parse(line) as { url?: string }).url : undefined;
}

/** The job spans under a run's span: same trace, that span their parent. */
function jobsUnder(run: ReceivedSpan): ReceivedSpan[] {
  return named('embedline.job').filter((s) => s.traceId === run.traceId && s.parentSpanId === run.spanId);
}

test('a worker serves Prometheus metrics of what it embedded, and each job is a span under the run that queued it', async () => {
  const queued = await runCli([...INGEST, '--workers', '0', '--no-wait'], { env });
  assert.equal(queued.code, 0, queued.stderr);
  const { jobs, chunksQueued } = lastJson(queued.stdout);
  assert.ok(jobs >= 2, `the corpus makes several jobs (${jobs})`);

  const worker = startCli(['worker', '--metrics-port', '0'], { env, ready: /"event":"worker\.ready"/ });
  try {
    await worker.ready;
    const url = metricsUrl(worker.output().stderr) ?? '';
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, worker.output().stderr);
    const scrape = async () => {
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      return parsePrometheus(await response.text());
    };
    const families = await waitFor('every job completed', async () => {
      const read = await scrape();
      return sampleValue(read, 'embedline_worker_jobs_total', { outcome: 'completed' }) === jobs ? read : undefined;
    });
    assert.equal(sampleValue(families, 'embedline_worker_jobs_total', { outcome: 'failed' }), 0);
    assert.equal(sampleValue(families, 'embedline_worker_jobs_total', { outcome: 'superseded' }), 0);
    assert.equal(sampleValue(families, 'embedline_worker_chunks_embedded_total'), chunksQueued);
    const tokens = sampleValue(families, 'embedline_worker_tokens_embedded_total');
    // Every chunk has at least its text and two special tokens, and at most the model's 256.
    assert.ok(tokens > 3 * chunksQueued && tokens <= 256 * chunksQueued, `tokens ${tokens} for ${chunksQueued} chunks`);
    const batches = histogram(families, 'embedline_worker_embed_batch_chunks');
    assert.equal(batches.sum, chunksQueued, 'the batch sizes add up to the chunks');
    const embedTime = histogram(families, 'embedline_worker_embed_seconds');
    assert.equal(embedTime.count, batches.count, 'one time per embedding call');
    assert.ok(embedTime.sum! > 0);
    const writes = histogram(families, 'embedline_worker_store_write_points');
    assert.equal(writes.sum, chunksQueued, 'every embedded point was written');
    assert.equal(histogram(families, 'embedline_worker_store_write_seconds').count, writes.count);
    assert.equal(histogram(families, 'embedline_worker_job_seconds').count, jobs);
    assert.equal(sampleValue(families, 'embedline_queue_up'), 1);
    assert.equal(sampleValue(families, 'embedline_queue_jobs', { state: 'waiting' }), 0);
    assert.equal(sampleValue(families, 'embedline_queue_oldest_waiting_job_age_seconds'), 0);
    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
    const storeTime = histogram(families, 'embedline_worker_store_write_seconds');
    console.log(
      `# ${jobs} jobs, ${chunksQueued} chunks, ${tokens} tokens in ${embedTime.count} embedding calls (${embedTime.sum!.toFixed(2)} s); ` +
        `${writes.count} store writes (${storeTime.sum!.toFixed(2)} s)`,
    );
  } finally {
    worker.child.kill('SIGTERM');
    assert.equal(await worker.exited, 0, worker.output().stderr);
  }

  // The worker sent its spans as it stopped; the producer's went when the ingest exited.
  const [run] = named('embedline.ingest');
  assert.ok(run, `the ingest's span arrived (got ${receiver.spans.map((s) => s.name).join(', ')})`);
  assert.equal(run.service, 'embedline-test');
  assert.equal(run.attributes['embedline.collection'], COLLECTION);
  const jobSpans = jobsUnder(run);
  assert.equal(jobSpans.length, jobs, 'one span per job, each a child of the run that queued it');
  assert.equal(new Set(jobSpans.map((s) => s.spanId)).size, jobs);
  for (const span of jobSpans) {
    assert.equal(span.attributes['embedline.job.outcome'], 'completed');
    assert.equal(span.attributes['embedline.collection'], COLLECTION);
    assert.ok(span.endMs >= span.startMs && span.startMs >= run.startMs, 'a job runs after its run began');
  }
  assert.equal(jobSpans.reduce((sum, s) => sum + Number(s.attributes['embedline.job.chunks_written']), 0), chunksQueued);
  assert.deepEqual(receiver.refused, []);
});

test("an ingest's in-process workers trace their jobs under the run, and a search is a span", async () => {
  // A second collection, so that this run has jobs of its own to do.
  const before = receiver.spans.length;
  const ingest = await runCli([...INGEST.map((a) => (a === COLLECTION ? `${COLLECTION}-two` : a)), '--workers', '1', '--metrics-port', '0'], { env });
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stderr, /"event":"metrics\.listening"/);
  const { jobs } = lastJson(ingest.stdout);
  const fresh = receiver.spans.slice(before);
  const runs = fresh.filter((s) => s.name === 'embedline.ingest');
  assert.equal(runs.length, 1);
  assert.equal(jobsUnder(runs[0]).length, jobs);
  for (const span of jobsUnder(runs[0])) assert.ok(span.endMs <= runs[0].endMs, 'the run waited for its jobs');

  const search = await runCli(['search', 'how do stars produce energy', '--collection', COLLECTION, '--json'], { env });
  assert.equal(search.code, 0, search.stderr);
  const searches = named('embedline.search');
  assert.equal(searches.length, 1);
  assert.equal(searches[0].attributes['embedline.collection'], COLLECTION);
  assert.equal(searches[0].attributes['embedline.search.queries'], 1);
  assert.equal(searches[0].parentSpanId, undefined, 'a CLI search starts its own trace');
});

test('a bad --metrics-port is refused in one line naming it, and a worker that cannot start does not linger', async () => {
  const bad = await runCli(['worker', '--metrics-port', 'ninety'], { env: iso.env });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--metrics-port must be 0-65535, got "ninety"/);
  // Before, the metrics listener and the queue's Redis connection kept a worker whose model failed alive.
  const noModel = await runCli(['worker', '--metrics-port', '0', '--model', `${iso.dir}/no-such-model`], { env: iso.env, timeoutMs: 60_000 });
  assert.equal(noModel.code, 1, noModel.stderr);
  assert.match(noModel.stderr, /^error: model folder not found/m);
  // A port already taken stops the worker with one line naming it.
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as AddressInfo).port;
  try {
    const busy = await runCli(['worker', '--metrics-port', String(taken)], { env: iso.env, timeoutMs: 120_000 });
    assert.equal(busy.code, 2, busy.stderr);
    assert.match(busy.stderr, new RegExp(`^error: --metrics-port ${taken}: cannot listen on 127\\.0\\.0\\.1:${taken} \\(EADDRINUSE\\)`, 'm'));
  } finally {
    holder.close();
  }
});
