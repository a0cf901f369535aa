// What one embedding job costs outside the ONNX run, stage by stage (a script, not a test):
//
//   npx tsx bench/ingest/job-cost.ts [--docs 2000] [--reps 3] [--no-write]
//
// On the ingest bench's corpus (bench/ingest/corpus.ts) cut into the jobs the producer makes, each
// stage is timed alone, best of --reps, and reported per job and per chunk next to the ONNX run of
// the same chunks: producer side (content hash, chunking, job payload encoding, queue.add with its
// backpressure check), worker side (BullMQ fetch + completion round trips with an empty processor,
// payload decoding, re-tokenising the chunk texts, the store's version look-up, the store write)
// and the embedding itself. Redis and the store are the real ones (own prefix, temp folder).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'bullmq';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { collectionSpecFor } from '../../src/producer/ingest.ts';
import { JobBuilder } from '../../src/producer/job-builder.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { contentHash } from '../../src/producer/chunking/content-hash.ts';
import { EMBED_QUEUE, type EmbedJobData } from '../../src/queue/embed-job.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { openStore } from '../../src/store/open-store.ts';
import { pointId } from '../../src/store/point-id.ts';
import { deleteRedisKeys } from '../../test/support/isolated-env.ts';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { stsSentences } from '../embed/texts.ts';
import { buildDocuments } from './corpus.ts';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '2000' }, reps: { type: 'string', default: '3' }, 'no-write': { type: 'boolean', default: false } } });
const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const docCount = Number(values.docs);
const reps = Number(values.reps);
const embedder = await loadEmbedder(resolveModelDir(), { threads: availableParallelism() });
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const spec = collectionSpecFor(embedder, { settings });
const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
const documents = buildDocuments(sentences, docCount).map((text, i) => ({ id: `d${i}`, text, metadata: {} }));

async function best(fn: (rep: number) => Promise<unknown> | unknown): Promise<number> {
  let min = Infinity;
  for (let rep = 0; rep < reps; rep++) {
    const started = performance.now();
    await fn(rep);
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

const stages: Array<{ stage: string; ms: number }> = [];
const hashes = documents.map((d) => contentHash(d, settings));
stages.push({ stage: 'producer: content hash of every document', ms: await best(() => documents.map((d) => contentHash(d, settings))) });
let chunks: Chunk[] = [];
stages.push({ stage: 'producer: chunking (tokenise, cut)', ms: await best(() => (chunks = documents.flatMap((d, i) => chunkDocument({ ...d, contentHash: hashes[i] }, embedder.tokenizer, settings)))) });
const jobs: Chunk[][] = [];
const builder = new JobBuilder();
for (const c of chunks) {
  const full = builder.add(c);
  if (full) jobs.push(full);
}
const last = builder.take();
if (last) jobs.push(last);
stages.push({ stage: 'producer: packing chunks into jobs (JobBuilder sizes each chunk)', ms: await best(() => {
  const b = new JobBuilder();
  for (const c of chunks) b.add(c);
}) });
const payloads = jobs.map((j) => ({ collection: 'bench', spec, chunks: j, version: 1 }) satisfies EmbedJobData);
stages.push({ stage: 'producer: job payload JSON encoding', ms: await best(() => payloads.map((p) => JSON.stringify(p))) });
const encoded = payloads.map((p) => JSON.stringify(p));
stages.push({ stage: 'worker: job payload JSON decoding', ms: await best(() => encoded.map((p) => JSON.parse(p))) });

const connection = redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `bench-jobcost-${process.pid}`;
const queue = new EmbedQueue(connection, prefix);
stages.push({ stage: 'producer: queue.add (add + state check) and the backlog check, per job', ms: await best(async (rep) => {
  for (const p of payloads) {
    await queue.waitForBacklogBelow(1e9);
    await queue.add({ ...p, version: 100 + rep });
  }
}) });
// BullMQ's own cost per job: fetch, lock, complete, with a processor that does nothing.
const total = payloads.length * reps;
let done = 0;
let resolveAll = () => {};
const allDone = new Promise<void>((resolve) => (resolveAll = resolve));
const started = performance.now();
const worker = new Worker<EmbedJobData>(EMBED_QUEUE, async () => ({ chunks: 0, superseded: 0 }), { connection, prefix, concurrency: 4 });
worker.on('completed', () => {
  if (++done === total) resolveAll();
});
await allDone;
stages.push({ stage: 'worker: BullMQ fetch + lock + complete with an empty processor, per job (concurrency 4)', ms: ((performance.now() - started) / total) * payloads.length });
await worker.close();
await queue.close();
await deleteRedisKeys(`${prefix}:*`);

const texts = jobs.map((j) => j.map((c) => c.text));
stages.push({ stage: 'worker: re-tokenising the chunk texts', ms: await best(() => texts.map((t) => embedder.tokenize(t))) });
const dir = mkdtempSync(join(tmpdir(), 'embedline-jobcost-'));
const store = openStore({ dataDir: dir });
await store.ensureCollection('bench', spec);
const vectors = jobs.map((j) => j.map(() => new Float32Array(embedder.info.dims).fill(0.05)));
const points = (jobs: Chunk[][], version: number) => jobs.map((j, ji) => j.map((chunk, i) => ({ id: pointId('bench', chunk.documentId, chunk.chunkIndex), vector: vectors[ji][i], chunk, version })));
stages.push({ stage: 'worker: store write, one upsert per job', ms: await best(async (rep) => {
  for (const p of points(jobs, 10 + rep)) await store.upsert('bench', p);
}) });
stages.push({ stage: 'worker: store write, one upsert per 4 jobs', ms: await best(async (rep) => {
  const all = points(jobs, 20 + rep);
  for (let i = 0; i < all.length; i += 4) await store.upsert('bench', all.slice(i, i + 4).flat());
}) });
stages.push({ stage: "worker: the store's version look-up (newerDocuments), per job", ms: await best(async () => {
  for (const j of jobs) await store.newerDocuments('bench', [...new Set(j.map((c) => c.documentId))], 1);
}) });
await store.close();
rmSync(dir, { recursive: true, force: true });
await embedder.embed(texts[0]);
stages.push({ stage: 'the ONNX run itself: embedding every chunk (fp32)', ms: await best(() => embedder.embed(texts.flat())) });

const onnx = stages[stages.length - 1].ms;
const lines = [
  `# Per-job cost outside the ONNX run — ${new Date().toISOString()}`,
  '',
  `- ${documents.length} documents → ${chunks.length} chunks in ${jobs.length} jobs (≤ 64 chunks each); best of ${reps}; load average (1/5/15 min) before: ${loadBefore}, after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  '',
  '| stage | ms for the whole corpus | ms per job | µs per chunk | % of the ONNX time |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...stages.map((s) => `| ${s.stage} | ${s.ms.toFixed(0)} | ${(s.ms / jobs.length).toFixed(2)} | ${((s.ms * 1000) / chunks.length).toFixed(0)} | ${((100 * s.ms) / onnx).toFixed(1)} |`),
];
const report = lines.join('\n') + '\n';
process.stdout.write(report);
if (!values['no-write']) writeFileSync(join(PROJECT_ROOT, 'bench', 'ingest', 'last-job-cost.md'), report);
process.exit(0);
