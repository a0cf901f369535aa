// Search latency benchmark (a script, not a test): HTTP search over collections of 10k and 100k
// chunks, with continuous batching and with one ONNX run per query, at several connection counts,
// in one run; beside them the compute floor measured in the same run (floor.ts), the CPU each
// request cost by thread, a per-stage CPU table from a profiled run (stage-profile.ts), and the
// issue's targets checked. Prints a markdown report and writes it to bench/search/last-run.md.
//
//   npx tsx bench/search/run.ts [--sizes 10000,100000] [--connections 1,4,16] [--seconds 15]
//                               [--window 2] [--wait-idle S] [--profile-seconds 8]
//
// See bench/README.md ("bench/search") for the method.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { benchSentences, DATA_DIR, ensureBenchCollection, type BuiltCollection } from './bench-data.ts';
import { FLOOR_BATCH, measureFloor, type Floor } from './floor.ts';
import { runLoad, type LoadResult } from './load.ts';
import { openLoadWindow, waitForQuiet } from './machine-load.ts';
import { mainStageShares, threadCpu, threadShares, type CpuProfile, type ThreadShares } from './stage-profile.ts';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET_P99_MS = 30;
const TARGET_POINTS = 100_000;

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    connections: { type: 'string', default: '1,4,16' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    window: { type: 'string', default: '2' },
    'wait-idle': { type: 'string', default: '0' },
    'profile-seconds': { type: 'string', default: '8' },
    out: { type: 'string', default: join(here, 'last-run.md') },
  },
});
const list = (s: string) => s.split(',').map(Number);
const sizes = list(flags.sizes);
const connectionCounts = list(flags.connections);
const seconds = Number(flags.seconds);
const warmupSeconds = Number(flags.warmup);
const windowMs = Number(flags.window);
const waitIdleMs = Number(flags['wait-idle']) * 1000;
const profileSeconds = Number(flags['profile-seconds']);
const CORES = cpus().length;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

interface Mode {
  label: string;
  env: NodeJS.ProcessEnv;
}

/** The cache is off in the main rows: every request embeds and searches, as unique queries would. */
const BATCHED: Mode = { label: `continuous batching (linger ${windowMs} ms)`, env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: String(windowMs), EMBEDLINE_QUERY_CACHE_SIZE: '0' } };
const UNBATCHED: Mode = { label: 'one ONNX run per query', env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: '0', EMBEDLINE_QUERY_CACHE_SIZE: '0' } };
const MODES: Mode[] = [BATCHED, UNBATCHED];
const CACHED_MODE: Mode = { label: `batched + cache (repeated queries)`, env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: String(windowMs), EMBEDLINE_QUERY_CACHE_SIZE: '10000' } };

interface Row {
  collection: BuiltCollection;
  mode: string;
  connections: number;
  result: LoadResult;
  queriesPerRun: number;
  foreignShare: number;
  /** CPU ms per request by thread group. */
  cpu: ThreadShares;
  /** Load average (1 min) when the row started. */
  load: number;
}

interface Server {
  child: ChildProcess;
  url: string;
  pid: number;
  parallelRuns: number;
  /** The next JSON line the child prints. */
  next(): Promise<Record<string, unknown>>;
}

async function startServer(env: NodeJS.ProcessEnv, profileFile?: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'server-child.ts'), ...(profileFile ? ['--profile', profileFile] : [])], {
    env: { ...process.env, ...env, EMBEDLINE_DATA: DATA_DIR, EMBEDLINE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const waiting: Array<(message: Record<string, unknown>) => void> = [];
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) waiting.shift()?.(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = once(child, 'exit').then(() => {
    throw new Error('the server child exited before listening');
  });
  const ready = (await Promise.race([next(), exited])) as { url: string; pid: number; parallelRuns: number };
  return { child, url: ready.url, pid: ready.pid, parallelRuns: ready.parallelRuns, next };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  // A server that does not finish closing is not what is being measured: do not wait for ever.
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Queries per ONNX run so far, from the server's own histogram. */
async function embedCounters(url: string): Promise<{ queries: number; runs: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  return { queries: read('embedline_query_embed_batch_size_sum'), runs: read('embedline_query_embed_batch_size_count') };
}

/** CPU ms per request by thread group over `requests`. */
function perRequest(shares: ThreadShares, requests: number): ThreadShares {
  const ms = (s: number) => (s * 1000) / Math.max(1, requests);
  return { main: ms(shares.main), onnx: ms(shares.onnx), lance: ms(shares.lance), other: ms(shares.other) };
}

/**
 * Rows for each mode at each connection count. The modes' servers run side by side (an idle one
 * costs nothing) and their rows alternate, so that a busy neighbour's load falls on both modes
 * alike instead of on whichever ran first.
 */
async function measure(collection: BuiltCollection, modes: Mode[], queries: string[], connections: number[]): Promise<Row[]> {
  const servers: Server[] = [];
  const rows: Row[] = [];
  try {
    for (const mode of modes) servers.push(await startServer(mode.env));
    for (const server of servers) await runLoad({ url: server.url, collection: collection.name, queries, connections: Math.max(...connections), seconds: warmupSeconds });
    for (const n of connections) {
      for (const [i, server] of servers.entries()) {
        if (waitIdleMs > 0) await waitForQuiet(waitIdleMs);
        const { url } = server;
        const load = loadavg()[0];
        const before = await embedCounters(url);
        const threadsBefore = threadCpu(server.pid);
        const window = openLoadWindow(servers.map((s) => s.pid));
        const result = await runLoad({ url, collection: collection.name, queries, connections: n, seconds });
        const foreignShare = window.foreignShare();
        const cpu = perRequest(threadShares(server.pid, threadsBefore, threadCpu(server.pid), server.parallelRuns), result.requests);
        const after = await embedCounters(url);
        const runs = after.runs - before.runs;
        rows.push({ collection, mode: modes[i].label, connections: n, result, queriesPerRun: runs > 0 ? (after.queries - before.queries) / runs : NaN, foreignShare, cpu, load });
        log(`${collection.name} · ${modes[i].label} · ${n} conn: ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${rows.at(-1)!.queriesPerRun.toFixed(1)} q/run, load ${load.toFixed(1)}`);
      }
    }
  } finally {
    for (const server of servers) await stopServer(server.child);
  }
  // In the report, each mode's rows stay together.
  return modes.flatMap((mode) => rows.filter((r) => r.mode === mode.label));
}

interface StageTable {
  collection: BuiltCollection;
  connections: number;
  requests: number;
  cpu: ThreadShares;
  main: Map<string, number>;
  load: number;
}

/** A separate, profiled run (batched, most connections): CPU per request by thread and, on the main thread, by stage. */
async function profileStages(collection: BuiltCollection, queries: string[], connections: number): Promise<StageTable> {
  const file = join(tmpdir(), `embedline-search-profile-${process.pid}.json`);
  const server = await startServer(BATCHED.env, file);
  try {
    await runLoad({ url: server.url, collection: collection.name, queries, connections, seconds: warmupSeconds });
    const load = loadavg()[0];
    const before = threadCpu(server.pid);
    server.child.kill('SIGUSR2');
    const result = await runLoad({ url: server.url, collection: collection.name, queries, connections, seconds: profileSeconds });
    const profiled = server.next();
    server.child.kill('SIGUSR2');
    await profiled;
    const cpu = perRequest(threadShares(server.pid, before, threadCpu(server.pid), server.parallelRuns), result.requests);
    const shares = mainStageShares(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    return { collection, connections, requests: result.requests, cpu, main: new Map([...shares].map(([stage, share]) => [stage, share * cpu.main])), load };
  } finally {
    await stopServer(server.child);
  }
}

function verdict(row: Row): string {
  if (row.collection.points !== TARGET_POINTS) return '';
  return row.result.p99 <= TARGET_P99_MS ? 'PASS' : 'MISS';
}

const cpuCell = (c: ThreadShares) => [c.main, c.onnx, c.lance, c.other].map((v) => v.toFixed(2)).join(' · ');

function table(rows: Row[]): string {
  const header =
    '| collection | index | mode | conn | req/s | p50 ms | p95 ms | p99 ms | max ms | queries / ONNX run | CPU ms/req: main · ONNX · Lance · other | failures | other CPU | load | p99 ≤ 30 ms @100k |';
  const rule = '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  const lines = rows.map((r) =>
    [
      r.collection.name,
      r.collection.indexed ? 'HNSW-SQ' : 'flat',
      r.mode,
      r.connections,
      r.result.perSecond.toFixed(0),
      r.result.p50.toFixed(1),
      r.result.p95.toFixed(1),
      r.result.p99.toFixed(1),
      r.result.max.toFixed(1),
      Number.isNaN(r.queriesPerRun) ? '–' : r.queriesPerRun.toFixed(1),
      cpuCell(r.cpu),
      r.result.failures,
      `${(r.foreignShare * 100).toFixed(0)}%`,
      r.load.toFixed(1),
      verdict(r),
    ].join(' | '),
  );
  return [header, rule, ...lines.map((l) => `| ${l} |`)].join('\n');
}

/** The issue's targets, checked on one collection's rows of this run. */
function targets(collection: BuiltCollection, floor: Floor): string[] {
  const of = (mode: Mode, n: number) => rows.find((r) => r.collection === collection && r.mode === mode.label && r.connections === n);
  const most = Math.max(...connectionCounts);
  const least = Math.min(...connectionCounts);
  const [batched, unbatched, batchedOne, unbatchedOne] = [of(BATCHED, most), of(UNBATCHED, most), of(BATCHED, least), of(UNBATCHED, least)];
  if (!batched || !unbatched || !batchedOne || !unbatchedOne) return [];
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const speedup = batched.result.perSecond / unbatched.result.perSecond;
  const ofFloor = batched.result.perSecond / floor.achievablePerSecond;
  const tail = batched.result.p99 / batchedOne.result.p50;
  const p50Change = batchedOne.result.p50 / unbatchedOne.result.p50 - 1;
  // The same two ratios from CPU time per request, which a busy neighbour changes far less than wall time.
  const cpuOf = (r: Row) => r.cpu.main + r.cpu.onnx + r.cpu.lance + r.cpu.other;
  const cpuCapacity = (CORES * 1000) / cpuOf(batched);
  const cpuNote = `; by CPU per request: ${cpuOf(batched).toFixed(2)} vs ${cpuOf(unbatched).toFixed(2)} ms, ${(cpuOf(unbatched) / cpuOf(batched)).toFixed(2)}×`;
  const floorNote = `; by CPU per request: ${cpuCapacity.toFixed(0)} req/s on ${CORES} idle cores, ${((cpuCapacity / floor.achievablePerSecond) * 100).toFixed(0)} %`;
  return [
    `| ${collection.name} | queries per ONNX run at ${most} connections ≥ 6 | ${batched.queriesPerRun.toFixed(1)} | ${verdict(batched.queriesPerRun >= 6)} |`,
    `| ${collection.name} | req/s at ${most} connections ≥ 2.5× one run per query | ${batched.result.perSecond.toFixed(0)} vs ${unbatched.result.perSecond.toFixed(0)}: ${speedup.toFixed(2)}×${cpuNote} | ${verdict(speedup >= 2.5)} |`,
    `| ${collection.name} | req/s at ${most} connections ≥ 70 % of the floor | ${batched.result.perSecond.toFixed(0)} of ${floor.achievablePerSecond.toFixed(0)}: ${(ofFloor * 100).toFixed(0)} %${floorNote} | ${verdict(ofFloor >= 0.7)} |`,
    `| ${collection.name} | p99 at ${most} connections ≤ 4× p50 at ${least} | ${batched.result.p99.toFixed(1)} ms vs ${batchedOne.result.p50.toFixed(1)} ms: ${tail.toFixed(1)}× | ${verdict(tail <= 4)} |`,
    `| ${collection.name} | p50 at ${least} connection: batched vs one run per query | ${batchedOne.result.p50.toFixed(1)} vs ${unbatchedOne.result.p50.toFixed(1)} ms (${p50Change >= 0 ? '+' : ''}${(p50Change * 100).toFixed(0)} %) | ${verdict(p50Change <= 0.1)} |`,
  ];
}

function floorTable(floors: Map<BuiltCollection, Floor>): string {
  const lines = [...floors].map(
    ([c, f]) =>
      `| ${c.name} | ${f.embedMs.toFixed(2)} (${f.embedAloneMs.toFixed(2)} alone) | ${f.storeMs.toFixed(2)} (${f.storeAloneMs.toFixed(2)} alone) | ${f.achievablePerSecond.toFixed(0)} | ${rows.find((r) => r.collection === c && r.mode === BATCHED.label && r.connections === Math.max(...connectionCounts))?.result.perSecond.toFixed(0) ?? '–'} |`,
  );
  return [
    `| collection | (a) embed, CPU ms/query in batches of ${FLOOR_BATCH} | (b) store search, CPU ms/query in batches of ${FLOOR_BATCH} | achievable req/s on ${CORES} cores: ${CORES} / (a + b) | measured req/s, batched, ${Math.max(...connectionCounts)} conn |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...lines,
  ].join('\n');
}

function stageTable(t: StageTable): string {
  const per = (v: number) => v.toFixed(2);
  const total = t.cpu.main + t.cpu.onnx + t.cpu.lance + t.cpu.other;
  const share = (v: number) => `${((v / total) * 100).toFixed(0)} %`;
  const mainRows = [...t.main].map(([stage, ms]) => `| main thread: ${stage} | ${per(ms)} | ${share(ms)} |`);
  return [
    `${t.collection.name}, continuous batching, ${t.connections} connections, ${profileSeconds} s profiled (${t.requests} requests, load ${t.load.toFixed(1)}):`,
    '',
    '| stage | CPU ms / request | share |',
    '| --- | ---: | ---: |',
    ...mainRows,
    `| ONNX session threads: the model | ${per(t.cpu.onnx)} | ${share(t.cpu.onnx)} |`,
    `| LanceDB threads: the index search, payload reads | ${per(t.cpu.lance)} | ${share(t.cpu.lance)} |`,
    `| other threads (V8 GC and compiler helpers, libuv) | ${per(t.cpu.other)} | ${share(t.cpu.other)} |`,
    `| **total** | **${per(total)}** | |`,
  ].join('\n');
}

const started = new Date();
const load0 = loadavg()[0];
const embedder = await loadEmbedder(resolveModelDir());
const sentences = benchSentences();
log(`${sentences.base.length} base sentences, ${sentences.queries.length} held-out queries`);
const collections: BuiltCollection[] = [];
for (const size of sizes) collections.push(await ensureBenchCollection(embedder, sentences, size));

const rows: Row[] = [];
const floors = new Map<BuiltCollection, Floor>();
const stages: StageTable[] = [];
for (const collection of collections) {
  const floor = await measureFloor(collection.name, sentences.queries, CORES);
  floors.set(collection, floor);
  log(`${collection.name} floor: embed ${floor.embedMs.toFixed(2)} ms/query, store ${floor.storeMs.toFixed(2)} ms/query: ${floor.achievablePerSecond.toFixed(0)} req/s achievable`);
  rows.push(...(await measure(collection, MODES, sentences.queries, connectionCounts)));
  if (profileSeconds > 0) stages.push(await profileStages(collection, sentences.queries, Math.max(...connectionCounts)));
}
// The cache's effect: the same mix of queries over and over, on the largest collection.
const largest = collections[collections.length - 1];
rows.push(...(await measure(largest, [CACHED_MODE], sentences.queries, [Math.max(...connectionCounts)])));
const load1 = loadavg()[0];

const worstForeign = Math.max(...rows.map((r) => r.foreignShare));
const cpu = cpus();
const report = `# bench/search — last run

${started.toISOString()} · ${cpu.length} × ${cpu[0]?.model ?? 'CPU'} · Node ${process.version} · load average (1 min) before: ${load0.toFixed(2)}, after: ${load1.toFixed(2)}

\`npx tsx bench/search/run.ts --sizes ${flags.sizes} --connections ${flags.connections} --seconds ${seconds} --window ${windowMs} --profile-seconds ${profileSeconds}\`

Each row: \`POST /v1/collections/<name>/search\` \`{query, k: 10}\` with autocannon for ${seconds} s after a
${warmupSeconds} s warm-up, cycling through ${sentences.queries.length} held-out queries (STS-b dev sentences not
in the collection, and the sample queries). The server (\`buildSearchServer\`, as \`embedline serve\`) runs in
a child process over the LanceDB store, one per mode, side by side, their rows taken in turn (so a
neighbour's load falls on both); the query cache is off except in the last row, so every request
embeds its query with all-MiniLM-L6-v2 and searches. Latencies are per response, measured by the load
generator. "queries / ONNX run" is the server's own count. "CPU ms/req" is the server's CPU time per
answered request by thread (/proc), "load" the 1-minute load average as the row started, "other CPU" the
share of the machine other processes used during the row${worstForeign > 0.05 ? ` — **up to ${(worstForeign * 100).toFixed(0)}% in this run: the machine was shared, so these numbers are pessimistic**` : ''}.

${collections.map((c) => `- ${c.name}: ${c.points.toLocaleString('en')} chunks, ${c.indexed ? 'HNSW-SQ index (optimize)' : 'flat scan (below EMBEDLINE_INDEX_MIN_ROWS)'}${c.buildSeconds ? `, built in ${c.buildSeconds.toFixed(0)} s this run` : ', from .bench-cache'}`).join('\n')}

${table(rows)}

## The floor, measured in this run

(a) the bare embedder (one single-threaded session, token ids in, pooled vectors out) and (b) the
bare store (LanceDB searchBatch, k 10), in CPU time of the measuring process, nothing else of ours running:

${floorTable(floors)}

## Where a request's CPU goes

Thread CPU from /proc over a separate profiled run; the main thread's share split by a V8 CPU
profile of the same window (each sample goes to the innermost frame a stage rule recognises;
sampling counts a descheduled thread's time too, so on a loaded machine the split is approximate).

${stages.map(stageTable).join('\n\n')}

## Targets

| collection | target | measured | |
| --- | --- | --- | --- |
${collections.flatMap((c) => targets(c, floors.get(c)!)).join('\n')}

Target of the earlier issue: p99 ≤ ${TARGET_P99_MS} ms at ${TARGET_POINTS.toLocaleString('en')} chunks (last column of the first table).
`;
process.stdout.write(report);
writeFileSync(flags.out, report);
log(`wrote ${flags.out}`);
