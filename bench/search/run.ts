// Search latency benchmark (a script, not a test): HTTP search over collections of 10k and 100k
// chunks, with and without query micro-batching, at several connection counts, in one run.
// Prints a markdown table and writes it to bench/search/last-run.md.
//
//   npx tsx bench/search/run.ts [--sizes 10000,100000] [--connections 1,4,16] [--seconds 15]
//                               [--window 2] [--wait-idle S]
//
// See bench/README.md ("bench/search") for the method.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { benchSentences, DATA_DIR, ensureBenchCollection, type BuiltCollection } from './bench-data.ts';
import { runLoad, type LoadResult } from './load.ts';
import { openLoadWindow, waitForQuiet } from './machine-load.ts';

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
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

interface Mode {
  label: string;
  env: NodeJS.ProcessEnv;
}

/** The cache is off in the main rows: every request embeds and searches, as unique queries would. */
const MODES: Mode[] = [
  { label: `batched (${windowMs} ms window)`, env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: String(windowMs), EMBEDLINE_QUERY_CACHE_SIZE: '0' } },
  { label: 'one ONNX run per query', env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: '0', EMBEDLINE_QUERY_CACHE_SIZE: '0' } },
];
const CACHED_MODE: Mode = { label: `batched + cache (repeated queries)`, env: { EMBEDLINE_QUERY_BATCH_WINDOW_MS: String(windowMs), EMBEDLINE_QUERY_CACHE_SIZE: '10000' } };

interface Row {
  collection: BuiltCollection;
  mode: string;
  connections: number;
  result: LoadResult;
  queriesPerRun: number;
  foreignShare: number;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'server-child.ts')], {
    env: { ...process.env, ...env, EMBEDLINE_DATA: DATA_DIR, EMBEDLINE_QUIET: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, url: (JSON.parse(line) as { url: string }).url };
  }
  throw new Error('the server child exited before listening');
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

async function measure(collection: BuiltCollection, mode: Mode, queries: string[], connections: number[]): Promise<Row[]> {
  const { child, url } = await startServer(mode.env);
  const rows: Row[] = [];
  try {
    await runLoad({ url, collection: collection.name, queries, connections: Math.max(...connections), seconds: warmupSeconds });
    for (const n of connections) {
      if (waitIdleMs > 0) await waitForQuiet(waitIdleMs);
      const before = await embedCounters(url);
      const window = openLoadWindow([child.pid!]);
      const result = await runLoad({ url, collection: collection.name, queries, connections: n, seconds });
      const foreignShare = window.foreignShare();
      const after = await embedCounters(url);
      const runs = after.runs - before.runs;
      rows.push({ collection, mode: mode.label, connections: n, result, queriesPerRun: runs > 0 ? (after.queries - before.queries) / runs : NaN, foreignShare });
      log(`${collection.name} · ${mode.label} · ${n} conn: ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
    }
  } finally {
    await stopServer(child);
  }
  return rows;
}

function verdict(row: Row): string {
  if (row.collection.points !== TARGET_POINTS) return '';
  return row.result.p99 <= TARGET_P99_MS ? 'PASS' : 'MISS';
}

function table(rows: Row[]): string {
  const header = '| collection | index | mode | conn | req/s | p50 ms | p95 ms | p99 ms | max ms | queries / ONNX run | failures | other CPU | p99 ≤ 30 ms @100k |';
  const rule = '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
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
      r.result.failures,
      `${(r.foreignShare * 100).toFixed(0)}%`,
      verdict(r),
    ].join(' | '),
  );
  return [header, rule, ...lines.map((l) => `| ${l} |`)].join('\n');
}

const started = new Date();
const load0 = loadavg()[0];
const embedder = await loadEmbedder(resolveModelDir());
const sentences = benchSentences();
log(`${sentences.base.length} base sentences, ${sentences.queries.length} held-out queries`);
const collections: BuiltCollection[] = [];
for (const size of sizes) collections.push(await ensureBenchCollection(embedder, sentences, size));

const rows: Row[] = [];
for (const collection of collections) {
  for (const mode of MODES) rows.push(...(await measure(collection, mode, sentences.queries, connectionCounts)));
}
// The cache's effect: the same mix of queries over and over, on the largest collection.
const largest = collections[collections.length - 1];
rows.push(...(await measure(largest, CACHED_MODE, sentences.queries, [Math.max(...connectionCounts)])));

const worstForeign = Math.max(...rows.map((r) => r.foreignShare));
const cpu = cpus();
const report = `# bench/search — last run

${started.toISOString()} · ${cpu.length} × ${cpu[0]?.model ?? 'CPU'} · Node ${process.version} · load average before: ${load0.toFixed(2)}

\`npx tsx bench/search/run.ts --sizes ${flags.sizes} --connections ${flags.connections} --seconds ${seconds} --window ${windowMs}\`

Each row: \`POST /v1/collections/<name>/search\` \`{query, k: 10}\` with autocannon for ${seconds} s after a
${warmupSeconds} s warm-up, cycling through ${sentences.queries.length} held-out queries (STS-b dev sentences not
in the collection, and the sample queries). The server (\`buildSearchServer\`, as \`embedline serve\`) runs in
a child process over the LanceDB store; the query cache is off except in the last row, so every request
embeds its query with all-MiniLM-L6-v2 and searches. Latencies are per response, measured by the load
generator. "queries / ONNX run" is the server's own count. "other CPU" is the share of the machine other
processes used during the row${worstForeign > 0.05 ? ` — **up to ${(worstForeign * 100).toFixed(0)}% in this run: the machine was shared, so these numbers are pessimistic**` : ''}.

${collections.map((c) => `- ${c.name}: ${c.points.toLocaleString('en')} chunks, ${c.indexed ? 'HNSW-SQ index (optimize)' : 'flat scan (below EMBEDLINE_INDEX_MIN_ROWS)'}${c.buildSeconds ? `, built in ${c.buildSeconds.toFixed(0)} s this run` : ', from .bench-cache'}`).join('\n')}

${table(rows)}

Target: p99 ≤ ${TARGET_P99_MS} ms at ${TARGET_POINTS.toLocaleString('en')} chunks.
`;
process.stdout.write(report);
writeFileSync(flags.out, report);
log(`wrote ${flags.out}`);
