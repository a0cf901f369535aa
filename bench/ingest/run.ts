// End-to-end ingest against the bare embedder and against the Python pipeline one would otherwise
// write (a script, not a test):
//
//   npx tsx bench/ingest/run.ts [--docs 5000] [--rounds 2] [--systems bare,inproc,external,python,bare-int8,int8]
//                               [--python PATH --st-model DIR] [--no-write]
//
// One run, same machine, same corpus (bench/ingest/corpus.ts), the systems interleaved round by round
// and the best of N rounds kept per system, so a burst of load from elsewhere hits one try, not one
// system:
//   bare        the embedder alone on the chunk texts the chunker makes (fp32, no Redis, no store);
//   inproc      `embedline ingest` with its default in-process worker, into a fresh LanceDB store;
//   external    2 `embedline worker` processes (1 thread each, started before the clock) plus
//               `embedline ingest --workers 0`;
//   python      sentence-transformers (torch 2.13 CPU) + LanceDB in one process (python_pipeline.py,
//               its venv built once by python-venv.sh under ~/.cache/embedline/);
//   bare-int8 / int8   the same as bare / inproc with `--quantized`.
// Every ingest is timed as a user sees it (spawn to exit: start-up, model load, final optimize). A
// QueueEvents reader on the run's own prefix records when each job completed, giving the time series
// of chunks embedded per second and the first job's delay after the ingest's model was loaded (its
// `ingest.model-loaded` log line). The machine's load average is recorded before every try.
// Recall change of int8: STS-b dev as a retrieval set (bench/ingest/recall.ts).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QueueEvents } from 'bullmq';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { EMBED_QUEUE } from '../../src/queue/embed-job.ts';
import { deleteRedisKeys } from '../../test/support/isolated-env.ts';
import { BIN, PROJECT_ROOT, startCli } from '../../test/support/run-cli.ts';
import { stsSentences } from '../embed/texts.ts';
import { buildDocuments, writeCorpusCsv } from './corpus.ts';
import { stsRetrievalRecall, type Recall } from './recall.ts';

const SYSTEMS = ['bare', 'inproc', 'external', 'python', 'bare-int8', 'int8'] as const;
type System = (typeof SYSTEMS)[number];

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '2' },
    systems: { type: 'string', default: SYSTEMS.join(',') },
    python: { type: 'string' },
    'st-model': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const docCount = Number(values.docs);
const rounds = Number(values.rounds);
const systems = values.systems.split(',').map((s) => {
  if (!(SYSTEMS as readonly string[]).includes(s)) throw new Error(`--systems: unknown system "${s}" (known: ${SYSTEMS.join(', ')})`);
  return s as System;
});
const cores = availableParallelism();
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new URL(redisUrl);
const connection = { host: redis.hostname, port: Number(redis.port || 6379) };
const modelDir = resolveModelDir();

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const embedders: Partial<Record<'fp32' | 'int8', Embedder>> = { fp32: await loadEmbedder(modelDir, { threads: cores }) };
const fp32 = embedders.fp32!;
const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
const documents = buildDocuments(sentences, docCount);
const settings = resolveChunkSettings({ maxTokens: fp32.info.maxTokens, specialTokenCount: fp32.tokenizer.specialTokenCount });
const chunkTexts = documents.flatMap((text, i) => chunkDocument({ id: `d${i}`, text, metadata: {} }, fp32.tokenizer, settings).map((c) => c.text));

const work = mkdtempSync(join(tmpdir(), 'embedline-bench-ingest-'));
const csv = join(work, 'corpus.csv');
writeCorpusCsv(csv, documents);

/** The Python pipeline's interpreter and checkpoint, or why that column is skipped. */
function pythonSetup(): { python: string; model: string } | { skipped: string } {
  if (values.python && values['st-model']) return { python: values.python, model: values['st-model'] };
  const built = spawnSync('bash', [join(PROJECT_ROOT, 'bench', 'ingest', 'python-venv.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (built.status !== 0) return { skipped: `python-venv.sh failed: ${built.stderr.trim().split('\n').slice(-3).join(' / ')}` };
  const [python, model] = built.stdout.trim().split('\n');
  return { python, model };
}
const python = systems.includes('python') ? pythonSetup() : { skipped: 'not asked for' };

interface Try {
  system: System;
  round: number;
  seconds: number;
  chunks: number;
  /** Seconds from spawn to the model loaded, and to the first job (or slice) embedded. */
  modelLoaded?: number;
  firstEmbedded?: number;
  /** [seconds since spawn, chunks embedded so far]. */
  series: Array<[number, number]>;
  load: string;
  /** Python only: seconds inside encode(). */
  encodeSeconds?: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function bare(system: System, round: number, quantized: boolean): Promise<Try> {
  const embedder = quantized ? (embedders.int8 ??= await loadEmbedder(modelDir, { threads: cores, quantized: true })) : fp32;
  await embedder.embed(chunkTexts.slice(0, 64));
  const load = loadAverage();
  const started = performance.now();
  await embedder.embed(chunkTexts);
  const seconds = (performance.now() - started) / 1000;
  return { system, round, seconds, chunks: chunkTexts.length, series: [[seconds, chunkTexts.length]], load };
}

async function ingest(system: System, round: number): Promise<Try> {
  const tag = `${system}-${round}`;
  const prefix = `bench-ingest-${process.pid}-${tag}`;
  const env = { EMBEDLINE_DATA: join(work, `data-${tag}`), EMBEDLINE_QUEUE_PREFIX: prefix, EMBEDLINE_QUIET: '0' };
  const externalWorkers = system === 'external' ? 2 : 0;
  const workerEnv = { ...env, EMBEDLINE_THREADS: String(Math.max(1, Math.floor(cores / Math.max(1, externalWorkers)))) };
  const workers = Array.from({ length: externalWorkers }, () => startCli(['worker', '--concurrency', '4'], { env: workerEnv, ready: /worker\.ready/ }));
  await Promise.all(workers.map((w) => w.ready));
  const events = new QueueEvents(EMBED_QUEUE, { connection, prefix });
  await events.waitUntilReady();
  const series: Array<[number, number]> = [];
  let embedded = 0;
  let spawnedAt = 0;
  events.on('completed', ({ returnvalue }) => {
    const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as { chunks?: number };
    embedded += result.chunks ?? 0;
    series.push([(Date.now() - spawnedAt) / 1000, embedded]);
  });
  const args = ['ingest', csv, '--collection', 'bench', '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress', '--workers', externalWorkers > 0 ? '0' : '1'];
  if (system === 'int8') args.push('--quantized');
  const load = loadAverage();
  spawnedAt = Date.now();
  const result = await run(process.execPath, [BIN, ...args], env);
  const seconds = (Date.now() - spawnedAt) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  await events.close();
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await deleteRedisKeys(`${prefix}:*`);
  rmSync(env.EMBEDLINE_DATA, { recursive: true, force: true });
  if (result.code !== 0) throw new Error(`${system}: ingest failed (${result.code}): ${result.stderr}`);
  const summary = JSON.parse(result.stdout) as { chunks: number };
  const loadedLine = result.stderr.split('\n').find((l) => l.includes('"ingest.model-loaded"'));
  const modelLoaded = loadedLine ? (Date.parse((JSON.parse(loadedLine) as { time: string }).time) - spawnedAt) / 1000 : undefined;
  return { system, round, seconds, chunks: summary.chunks, modelLoaded, firstEmbedded: series[0]?.[0], series, load };
}

async function pythonPipeline(round: number): Promise<Try | undefined> {
  if ('skipped' in python) return undefined;
  const db = join(work, `lancedb-python-${round}`);
  const load = loadAverage();
  const result = await run(python.python, [join(PROJECT_ROOT, 'bench', 'ingest', 'python_pipeline.py'), '--csv', csv, '--model', python.model, '--db', db, '--threads', String(cores), '--chunk-tokens', String(settings.chunkTokens), '--overlap', String(settings.overlap)]);
  rmSync(db, { recursive: true, force: true });
  if (result.code !== 0) throw new Error(`python pipeline failed (${result.code}): ${result.stderr}`);
  const out = JSON.parse(result.stdout) as { wall: number; modelLoaded: number; chunks: number; encodeSeconds: number; series: Array<[number, number]> };
  return { system: 'python', round, seconds: out.wall, chunks: out.chunks, modelLoaded: out.modelLoaded, firstEmbedded: out.series[0]?.[0], series: out.series, load, encodeSeconds: out.encodeSeconds };
}

const tries: Try[] = [];
const recall: { fp32: Recall; int8: Recall } | undefined = systems.includes('int8') || systems.includes('bare-int8')
  ? { fp32: await stsRetrievalRecall(fp32, join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv')), int8: await stsRetrievalRecall((embedders.int8 ??= await loadEmbedder(modelDir, { threads: cores, quantized: true })), join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv')) }
  : undefined;

/** The report of the rounds run so far, written after every round: a run cut short still leaves one. */
function writeReport(roundsDone: number): void {
  const best = new Map<System, Try>();
  for (const t of tries) {
    const b = best.get(t.system);
    if (!b || t.chunks / t.seconds > b.chunks / b.seconds) best.set(t.system, t);
  }
  const rate = (t: Try | undefined) => (t ? t.chunks / t.seconds : NaN);
  const bareRate = rate(best.get('bare'));
  const bareInt8Rate = rate(best.get('bare-int8'));
  const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(1));
  const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2));
  const pass = (ok: boolean) => (ok ? 'met' : '**missed**');

  /** Chunks embedded in each whole second since spawn. */
  function perSecond(t: Try): number[] {
    const bins = new Array<number>(Math.ceil(t.seconds)).fill(0);
    let previous = 0;
    for (const [s, total] of t.series) {
      bins[Math.min(bins.length - 1, Math.floor(s))] += total - previous;
      previous = total;
    }
    return bins;
  }

  const label: Record<System, string> = {
    bare: 'bare embedder, fp32 (no Redis, no store)',
    inproc: '`embedline ingest` (1 in-process worker, concurrency 4), fp32',
    external: '`embedline ingest --workers 0` + 2 `embedline worker` (1 thread each), fp32',
    python: 'Python: sentence-transformers 3.3.1 (torch 2.13 CPU, batch 32) + LanceDB, one process',
    'bare-int8': 'bare embedder, int8 (`model_int8.onnx`)',
    int8: '`embedline ingest --quantized` (1 in-process worker)',
  };
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `# embedline ingest benchmark — ${new Date().toISOString()}`,
    '',
    `- ${cores} cores (${cpuModel}); corpus: ${documents.length} documents built from STS-b dev sentences (1–3 sentences each, every 10th of 40) → ${chunkTexts.length} chunks (chunk tokens ${settings.chunkTokens}, overlap ${settings.overlap})`,
    `- ${roundsDone} of ${rounds} round(s) run, systems interleaved in the order ${systems.join(', ')}; best round per system. Load average (1/5/15 min) before each try is in the last table: the machine was shared while this ran.`,
    '- Ingest times are spawn → exit of the command (start-up, model load, queueing, embedding, store writes, final optimize); the Python time is interpreter start → exit.',
    ...('skipped' in python && systems.includes('python') ? [`- Python pipeline skipped: ${python.skipped}`] : []),
    // The ingest runs the same embedder plus more work: beating bare means load from elsewhere hit the tries unevenly.
    ...(['inproc', 'external'] as const).filter((s) => rate(best.get(s)) > bareRate).map((s) => `- **${s} beat the bare embedder: load from elsewhere hit the tries unevenly, so the ratios below measure the machine, not embedline.**`),
    '',
    '| system | chunks | seconds | chunks/s | / bare (same precision) | model loaded at s | first job embedded, s after model load |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...systems.flatMap((s) => {
      const t = best.get(s);
      if (!t) return [];
      const base = s === 'int8' || s === 'bare-int8' ? bareInt8Rate : bareRate;
      const first = t.firstEmbedded !== undefined && t.modelLoaded !== undefined ? t.firstEmbedded - t.modelLoaded : undefined;
      const encodeNote = t.encodeSeconds !== undefined ? ` (encode() alone: ${f1(t.chunks / t.encodeSeconds)}/s)` : '';
      return [`| ${label[s]} | ${t.chunks} | ${f1(t.seconds)} | ${f1(rate(t))}${encodeNote} | ${f2(rate(t) / base)} | ${f2(t.modelLoaded)} | ${f2(first)} |`];
    }),
    '',
    '| target | measured | |',
    '| --- | ---: | --- |',
  ];
  const target = (name: string, value: number, ok: boolean, digits = 2) => lines.push(`| ${name} | ${Number.isNaN(value) ? '—' : value.toFixed(digits)} | ${Number.isNaN(value) ? 'not run' : pass(ok)} |`);
  for (const s of ['inproc', 'external'] as const) {
    const r = rate(best.get(s)) / bareRate;
    target(`${s}: end-to-end / bare ≥ 0.92 (overhead ≤ 8 %)`, r, r >= 0.92);
  }
  for (const s of ['inproc', 'external', 'int8'] as const) {
    const t = best.get(s);
    const first = t?.firstEmbedded !== undefined && t.modelLoaded !== undefined ? t.firstEmbedded - t.modelLoaded : NaN;
    target(`${s}: first job embedded ≤ 1.5 s after the model loaded`, first, first <= 1.5);
  }
  const vsPython = Math.max(rate(best.get('inproc')), rate(best.get('external'))) / rate(best.get('python'));
  target('embedline end to end ≥ 1.2× the Python pipeline (fp32)', vsPython, vsPython >= 1.2);
  const int8Speedup = rate(best.get('int8')) / rate(best.get('inproc'));
  if (!Number.isNaN(int8Speedup)) lines.push(`| int8 end-to-end speed-up over fp32 (reported) | ${int8Speedup.toFixed(2)}× | |`);
  if (recall) {
    lines.push(
      '',
      `Recall of int8 against fp32, STS-b dev as a retrieval set (${recall.fp32.queries} queries: the first sentence of each pair scored ≥ 4, against all ${recall.fp32.corpus} distinct second sentences; a hit is the query's own pair):`,
      '',
      '| model | recall@1 | recall@10 | MRR@10 |',
      '| --- | ---: | ---: | ---: |',
      `| fp32 | ${recall.fp32.at1.toFixed(4)} | ${recall.fp32.at10.toFixed(4)} | ${recall.fp32.mrr10.toFixed(4)} |`,
      `| int8 | ${recall.int8.at1.toFixed(4)} | ${recall.int8.at10.toFixed(4)} | ${recall.int8.mrr10.toFixed(4)} |`,
      `| change | ${(recall.int8.at1 - recall.fp32.at1).toFixed(4)} | ${(recall.int8.at10 - recall.fp32.at10).toFixed(4)} | ${(recall.int8.mrr10 - recall.fp32.mrr10).toFixed(4)} |`,
    );
  }
  // Where each run's time beyond the bare embedder's goes: start-up (spawn → model loaded), the wait
  // for the first job, the steady state between the first and the last job, and the tail (last job →
  // exit: the store check of the source, optimize, closing).
  lines.push(
    '',
    'Where the time goes (best try; steady state = chunks embedded between the first and the last completed job, over that time):',
    '',
    '| system | start-up to model loaded, s | model loaded to first job, s | steady-state chunks/s | steady / bare | last job to exit, s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of systems) {
    const t = best.get(s);
    if (!t || t.series.length < 2 || t.modelLoaded === undefined) continue;
    const [firstAt, firstChunks] = t.series[0];
    const [lastAt, lastChunks] = t.series[t.series.length - 1];
    const steady = (lastChunks - firstChunks) / (lastAt - firstAt);
    const base = s === 'int8' ? bareInt8Rate : bareRate;
    lines.push(`| ${s} | ${f2(t.modelLoaded)} | ${f2(firstAt - t.modelLoaded)} | ${f1(steady)} | ${f2(steady / base)} | ${f2(t.seconds - lastAt)} |`);
  }
  lines.push('', 'Chunks embedded per second (best try of each system; second 0 = spawn):', '');
  for (const s of systems) {
    const t = best.get(s);
    if (t && s !== 'bare' && s !== 'bare-int8') lines.push(`- ${s}: ${perSecond(t).join(' ')}`);
  }
  lines.push('', 'Every try:', '', '| round | system | seconds | chunks/s | load average before |', '| ---: | --- | ---: | ---: | --- |');
  for (const t of tries) lines.push(`| ${t.round} | ${t.system} | ${f1(t.seconds)} | ${f1(rate(t))} | ${t.load} |`);
  const report = lines.join('\n') + '\n';
  process.stdout.write(report);
  if (!values['no-write']) writeFileSync(join(PROJECT_ROOT, 'bench', 'ingest', 'last-run.md'), report);
}

for (let round = 1; round <= rounds; round++) {
  for (const system of systems) {
    let t: Try | undefined;
    switch (system) {
      case 'bare':
        t = await bare(system, round, false);
        break;
      case 'bare-int8':
        t = await bare(system, round, true);
        break;
      case 'inproc':
      case 'external':
      case 'int8':
        t = await ingest(system, round);
        break;
      case 'python':
        t = await pythonPipeline(round);
        break;
      default:
        throw new Error(`unhandled system ${system satisfies never}`);
    }
    if (!t) continue;
    tries.push(t);
    process.stderr.write(`round ${round} ${system}: ${t.chunks} chunks in ${t.seconds.toFixed(1)} s (${(t.chunks / t.seconds).toFixed(1)}/s), load ${t.load}\n`);
  }
  writeReport(round);
}
rmSync(work, { recursive: true, force: true });
process.exit(0);
