// End-to-end ingest throughput against the bare embedder (a script, not a test):
//
//   npx tsx bench/ingest/run.ts [--docs 600] [--workers 1,2,4]
//
// One run, same machine, same corpus: (1) the bare embedder embeds every chunk the chunker makes
// (chunks/s, the ceiling); (2) for each worker count W, W `embedline worker` processes (threads
// split between them so the cores are never oversubscribed) plus `embedline ingest --workers 0`
// index the corpus into a fresh collection through Redis and the embedded store. The ratio
// end-to-end / bare is the pipeline's efficiency (target ≥ 0.9). Redis memory is read before and
// after each run, with the run's keys still in place.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { deleteRedisKeys } from '../../test/support/isolated-env.ts';
import { BIN, PROJECT_ROOT, startCli } from '../../test/support/run-cli.ts';
import { buildPassages, stsSentences } from '../embed/texts.ts';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '600' }, workers: { type: 'string', default: '1,2,4' } } });
const docCount = Number(values.docs);
const workerCounts = values.workers.split(',').map(Number);
const cores = availableParallelism();
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const embedder = await loadEmbedder(resolveModelDir(), { threads: cores });
const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
// Documents of 1–2 chunks: passages of up to ~400 tokens, so the chunker and overlap take part.
const documents = buildPassages(sentences, embedder.tokenizer, docCount, 400);
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const chunkTexts = documents.flatMap((text, i) => chunkDocument({ id: `d${i}`, text, metadata: {} }, embedder.tokenizer, settings).map((c) => c.text));

const work = mkdtempSync(join(tmpdir(), 'embedline-bench-ingest-'));
const csv = join(work, 'corpus.csv');
writeFileSync(csv, ['id,body', ...documents.map((d, i) => `d${i},"${d.replace(/"/g, '""')}"`)].join('\n') + '\n');

async function redisMemory(): Promise<number> {
  const redis = new Redis(redisUrl);
  const info = await redis.info('memory');
  redis.disconnect();
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// 1. The ceiling: the bare embedder on the same chunk texts (after a warm-up).
await embedder.embed(chunkTexts.slice(0, 32));
let started = performance.now();
await embedder.embed(chunkTexts);
const bareSeconds = (performance.now() - started) / 1000;
const bareRate = chunkTexts.length / bareSeconds;

interface Row {
  workers: number;
  threads: number;
  chunks: number;
  seconds: number;
  rate: number;
  redisBefore: number;
  redisAfter: number;
}
const rows: Row[] = [];
for (const workers of workerCounts) {
  const prefix = `bench-ingest-${process.pid}-${workers}`;
  const threads = Math.max(1, Math.floor(cores / workers));
  const env = { EMBEDLINE_DATA: join(work, `data-${workers}`), EMBEDLINE_QUEUE_PREFIX: prefix, EMBEDLINE_THREADS: String(threads), EMBEDLINE_QUIET: '1' };
  const procs = Array.from({ length: workers }, () => startCli(['worker', '--concurrency', '4'], { env: { ...env, EMBEDLINE_QUIET: '0' }, ready: /worker\.ready/ }));
  await Promise.all(procs.map((p) => p.ready));
  const redisBefore = await redisMemory();
  // The ingest process itself starts in ~2 s (tsx, model load); that is part of the honest total.
  started = performance.now();
  const result = await run(['ingest', csv, '--collection', 'bench', '--text-column', 'body', '--id-column', 'id', '--workers', '0', '--json', '--no-progress'], env);
  const seconds = (performance.now() - started) / 1000;
  if (result.code !== 0) throw new Error(`ingest failed: ${result.stderr}`);
  const summary = JSON.parse(result.stdout);
  const redisAfter = await redisMemory();
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  await deleteRedisKeys(`${prefix}:*`);
  rows.push({ workers, threads, chunks: summary.chunks, seconds, rate: summary.chunks / seconds, redisBefore, redisAfter });
  process.stderr.write(`workers=${workers}: ${summary.chunks} chunks in ${seconds.toFixed(1)} s\n`);
}
rmSync(work, { recursive: true, force: true });

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
const lines = [
  `# embedline ingest benchmark — ${new Date().toISOString()}`,
  '',
  `- ${cores} cores; corpus: ${documents.length} documents (STS-b sentences in passages of ≤ 400 tokens) → ${chunkTexts.length} chunks (chunk tokens ${settings.chunkTokens}, overlap ${settings.overlap})`,
  `- Bare embedder (fp32, ${cores} threads, one process, no Redis, no store): **${bareRate.toFixed(1)} chunks/s** (${bareSeconds.toFixed(1)} s)`,
  '- End to end: `embedline ingest --workers 0` (reads, hashes, chunks, queues) plus W `embedline worker` processes (concurrency 4, threads = cores / W), writing to the embedded LanceDB store; wall time of the ingest command, including its own start-up (~2 s) and the final optimize.',
  '',
  '| worker processes | threads each | chunks | seconds | chunks/s | end-to-end / bare | target ≥ 0.9 | Redis used_memory before → after (MB) |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows.map((r) => `| ${r.workers} | ${r.threads} | ${r.chunks} | ${r.seconds.toFixed(1)} | ${r.rate.toFixed(1)} | ${(r.rate / bareRate).toFixed(2)} | ${r.rate / bareRate >= 0.9 ? 'PASS' : 'MISS'} | ${mb(r.redisBefore)} → ${mb(r.redisAfter)} |`),
];
const report = lines.join('\n') + '\n';
process.stdout.write(report);
writeFileSync(join(PROJECT_ROOT, 'bench', 'ingest', 'last-run.md'), report);
await embedder.embed(['done']);
process.exit(0);
