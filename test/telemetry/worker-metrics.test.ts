// The worker metrics' parts on their own, read back through a Prometheus text parser: queue lag
// (jobs waiting with no worker, the oldest one's age) on real Redis, a scrape that still answers when
// Redis does not, and the embedder and store wrappers counting exactly what passed through them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmbedOptions } from '../../src/embed/embedder.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { WorkerMetrics } from '../../src/telemetry/worker-metrics.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { histogram, parsePrometheus, sampleValue } from '../support/prometheus-text.ts';

const iso = isolatedEnv('worker-metrics');
after(() => iso.cleanup());

const spec = { modelChecksum: 'x' } as never;
const chunk = (documentId: string) => ({ documentId, chunkIndex: 0, text: `text of ${documentId}`, contentHash: documentId }) as never;

test('queue lag: waiting jobs by state and the age of the oldest one, read at scrape time', async () => {
  const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
  try {
    const metrics = new WorkerMetrics(queue);
    const empty = parsePrometheus(await metrics.registry.metrics());
    assert.equal(sampleValue(empty, 'embedline_queue_up'), 1);
    assert.equal(sampleValue(empty, 'embedline_queue_jobs', { state: 'waiting' }), 0);
    assert.equal(sampleValue(empty, 'embedline_queue_oldest_waiting_job_age_seconds'), 0);

    const firstQueued = Date.now();
    await queue.add({ collection: 'lag', spec, chunks: [chunk('a')] });
    await sleep(1200);
    await queue.add({ collection: 'lag', spec, chunks: [chunk('b')] });
    await queue.add({ collection: 'lag', spec, chunks: [chunk('c')] });
    const scrapedAt = Date.now();
    const families = parsePrometheus(await metrics.registry.metrics());
    assert.equal(sampleValue(families, 'embedline_queue_jobs', { state: 'waiting' }), 3);
    assert.equal(sampleValue(families, 'embedline_queue_jobs', { state: 'active' }), 0);
    const age = sampleValue(families, 'embedline_queue_oldest_waiting_job_age_seconds');
    // The oldest is the first job queued, not the latest (which waited ~0 s).
    assert.ok(age >= 1.1 && age <= (Date.now() - firstQueued) / 1000 + 0.05, `oldest age ${age} s, scraped ${(scrapedAt - firstQueued) / 1000} s after the first job`);
  } finally {
    await queue.close();
  }
});

test('a scrape answers within its bound when Redis does not answer: embedline_queue_up 0', async () => {
  // A port nothing listens on: every read fails.
  const queue = new EmbedQueue({ ...redisOptionsFromUrl('redis://127.0.0.1:1'), connectTimeout: 500 }, iso.prefix);
  queue.queue.on('error', () => {});
  try {
    const started = Date.now();
    const families = parsePrometheus(await new WorkerMetrics(queue).registry.metrics());
    assert.ok(Date.now() - started < 5000, `scrape took ${Date.now() - started} ms`);
    assert.equal(sampleValue(families, 'embedline_queue_up'), 0);
    assert.equal(families.get('embedline_queue_jobs')?.metrics.length ?? 0, 0, 'no stale depth is shown');
  } finally {
    await queue.closeWithin(500);
  }
});

test('the wrappers count and time exactly the calls that passed through them, and change nothing else', async () => {
  const metrics = new WorkerMetrics();
  const calls: number[] = [];
  const embedder = {
    label: 'fake',
    async embed(texts: readonly string[], _options: EmbedOptions) {
      calls.push(texts.length);
      return { vectors: texts.map(() => new Float32Array(2)), tokens: texts.map((t) => t.length) };
    },
  };
  const observed = metrics.observeEmbedder(embedder);
  assert.equal(observed.label, 'fake');
  const texts = ['one', 'three', 'eleven chars'];
  const result = await observed.embed(texts, { pooling: 'mean', normalize: true });
  await observed.embed(['x'], { pooling: 'mean', normalize: true });
  assert.equal(result.vectors.length, 3);
  assert.deepEqual(calls, [3, 1]);

  const written: number[] = [];
  const store = {
    kind: 'fake',
    async upsert(_name: string, points: unknown[]) {
      written.push(points.length);
      return { stored: points.map(() => true) };
    },
  } as unknown as VectorStore;
  const observedStore = metrics.observeStore(store);
  assert.equal(observedStore.kind, 'fake');
  await observedStore.upsert('c', [{}, {}] as never);
  metrics.job('completed', 0.2);
  metrics.job('completed', 0.4);

  const families = parsePrometheus(await metrics.registry.metrics());
  assert.equal(sampleValue(families, 'embedline_worker_chunks_embedded_total'), 4);
  assert.equal(sampleValue(families, 'embedline_worker_tokens_embedded_total'), 3 + 5 + 12 + 1);
  assert.deepEqual(histogram(families, 'embedline_worker_embed_batch_chunks'), { count: 2, sum: 4 });
  assert.equal(histogram(families, 'embedline_worker_embed_seconds').count, 2);
  assert.deepEqual(histogram(families, 'embedline_worker_store_write_points'), { count: 1, sum: 2 });
  assert.deepEqual(written, [2]);
  assert.equal(sampleValue(families, 'embedline_worker_jobs_total', { outcome: 'completed' }), 2);
  assert.equal(sampleValue(families, 'embedline_worker_jobs_total', { outcome: 'failed' }), 0);
  assert.equal(histogram(families, 'embedline_worker_job_seconds').count, 2);
  assert.ok(families.has('embedline_process_cpu_seconds_total'), 'the process metrics are there too');
});
