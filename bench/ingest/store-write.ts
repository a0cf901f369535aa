// What one store write of the ingest path costs, part by part, in CPU and wall time (a script, not a test):
//
//   npx tsx bench/ingest/store-write.ts [--docs 2000] [--rounds 4] [--before DIR] [--no-write]
//
// The ingest bench's corpus (bench/ingest/corpus.ts), chunked, made into points by the worker's own
// embedPoints (worker/embed-points.ts) with a stand-in embedder (seeded unit vectors: the ONNX run is
// not what is measured), and written into a fresh embedded store the way the worker's coalescer
// writes: one CheckedStore.upsert per 128 points (STORE_WRITE_BATCHING.maxItems), first versions, then
// the same points again at a newer version. Per write: wall time, the main thread's CPU (from
// /proc/<pid>/task/<pid>/sched, ns) and the whole process's CPU (LanceDB's own threads included).
//
// With --before DIR (a copy of another commit's src/ under DIR, node_modules linked beside it) the
// same passes run alternately on that code and this one, order swapped every round, so the two
// compare under the same load. A second, instrumented pass per variant splits a write into the adapter
// calls CheckedStore makes and the Lance calls under them (table.schema, query, mergeInsert...):
// timing each adds two /proc reads (~30 µs) per call, so only the plain passes give the totals.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Chunk } from '../../src/contracts/chunk.ts';
import type { CollectionSpec } from '../../src/contracts/collection-spec.ts';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { collectionSpecFor } from '../../src/producer/ingest.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { contentHash } from '../../src/producer/chunking/content-hash.ts';
import type { StoredPoint, VectorStore } from '../../src/store/vector-store.ts';
import { embedPoints } from '../../src/worker/embed-points.ts';
import { STORE_WRITE_BATCHING } from '../../src/worker/embed-worker.ts';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { stsSentences } from '../embed/texts.ts';
import { buildDocuments } from './corpus.ts';

const { values } = parseArgs({ options: { docs: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '4' }, before: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = loadavg();

// -- the points -------------------------------------------------------------------------------

const embedder = await loadEmbedder(resolveModelDir(), { threads: 1 });
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const spec = collectionSpecFor(embedder, { settings });
const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
const documents = buildDocuments(sentences, Number(values.docs)).map((text, i) => ({ id: `d${i}`, text, metadata: {} }));
const chunks: Chunk[] = documents.flatMap((d) => chunkDocument({ ...d, contentHash: contentHash(d, settings) }, embedder.tokenizer, settings));

/** Seeded unit vectors in place of the model's: the store sees the same shapes and sizes. */
let seed = 1;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
const standIn = {
  embed: async (texts: string[]) => ({
    vectors: texts.map(() => {
      const v = Float32Array.from({ length: spec.dims }, random);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    }),
  }),
};
const pointsByVersion = new Map<number, StoredPoint[]>();
for (const version of [1, 2]) pointsByVersion.set(version, await embedPoints(standIn as never, spec, 'bench', chunks, version));
const writeSize = STORE_WRITE_BATCHING.maxItems;
const writeCount = Math.ceil(chunks.length / writeSize);
const writesOf = (points: StoredPoint[]) => Array.from({ length: Math.ceil(points.length / writeSize) }, (_, i) => points.slice(i * writeSize, (i + 1) * writeSize));

// -- CPU clocks -------------------------------------------------------------------------------

const schedFile = `/proc/${process.pid}/task/${process.pid}/sched`;
/** The main thread's CPU time so far, ms (the kernel's own count, ns resolution). */
function mainThreadMs(): number {
  const match = /se\.sum_exec_runtime\s*:\s*([\d.]+)/.exec(readFileSync(schedFile, 'utf8'));
  return match ? Number(match[1]) : NaN;
}
const processMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Cost {
  wall: number;
  main: number;
  process: number;
  calls: number;
}
const zero = (): Cost => ({ wall: 0, main: 0, process: 0, calls: 0 });

type Reading = [wall: number, main: number, process: number];
const reading = (): Reading => [performance.now(), mainThreadMs(), processMs()];
function charge(cost: Cost, [wall, main, proc]: Reading): void {
  cost.wall += performance.now() - wall;
  cost.main += mainThreadMs() - main;
  cost.process += processMs() - proc;
}

async function measured<T>(cost: Cost, run: () => Promise<T>): Promise<T> {
  const start = reading();
  cost.calls++;
  try {
    return await run();
  } finally {
    charge(cost, start);
  }
}

// -- the code under test ----------------------------------------------------------------------

interface Variant {
  name: string;
  /** Opens a store over an adapter given the chance to wrap it (instrumented passes). */
  open(dataDir: string, wrap: (adapter: object) => object): VectorStore;
}

async function variantAt(name: string, root: string): Promise<Variant> {
  const load = (path: string) => import(pathToFileURL(join(root, 'src', 'store', path)).href);
  const [{ CheckedStore }, { LocalAdapter }, { indexThresholds }] = await Promise.all([load('checked-store.ts'), load('local/local-adapter.ts'), load('local/index-policy.ts')]);
  return { name, open: (dataDir, wrap) => new CheckedStore(wrap(new LocalAdapter(dataDir, indexThresholds({})))) as VectorStore };
}

const variants = [await variantAt('this tree', PROJECT_ROOT)];
if (values.before) variants.unshift(await variantAt(`before (${values.before})`, resolve(values.before)));

/** Lance builder calls: their chains are followed (under the name of the call that began them) to the call that runs. */
const BUILDERS = new Set(['query', 'mergeInsert', 'where', 'select', 'whenMatchedUpdateAll', 'whenNotMatchedInsertAll']);
const CHAIN_METHODS = ['where', 'select', 'whenMatchedUpdateAll', 'whenNotMatchedInsertAll', 'toArray', 'toArrow', 'execute'];

/** Times every call of these methods on `target` into `parts` under `prefix` (async iterables: until drained, with the consumer's work). */
function instrument<T extends object>(target: T, prefix: string, parts: Map<string, Cost>, methods: readonly string[]): T {
  const costOf = (method: string) => {
    const key = `${prefix}.${method}`;
    if (!parts.has(key)) parts.set(key, zero());
    return parts.get(key) as Cost;
  };
  return new Proxy(target, {
    get(obj, property) {
      const value: unknown = Reflect.get(obj, property, obj);
      if (typeof value !== 'function') return value;
      // Called on the object itself, not the proxy: Lance's classes keep #private fields.
      if (typeof property !== 'string' || !methods.includes(property)) return value.bind(obj);
      return (...args: unknown[]) => {
        if (BUILDERS.has(property)) {
          const chain = property === 'query' || property === 'mergeInsert' ? `${prefix}.${property}` : prefix;
          return instrument(value.apply(obj, args) as object, chain, parts, CHAIN_METHODS);
        }
        const start = reading();
        const result: unknown = value.apply(obj, args);
        if (result instanceof Promise) {
          const cost = costOf(property);
          cost.calls++;
          return result.finally(() => charge(cost, start));
        }
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) return timedIteration(result as AsyncIterable<unknown>, costOf(property));
        return result;
      };
    },
  });
}

/** The values of an async iterable, the time from asking for the first to its end counted into `cost`. */
async function* timedIteration<T>(iterable: AsyncIterable<T>, cost: Cost): AsyncIterable<T> {
  cost.calls++;
  const start = reading();
  try {
    yield* iterable;
  } finally {
    charge(cost, start);
  }
}

const ADAPTER_METHODS = ['read', 'chunkHashes', 'chunkVersions', 'upsert', 'deleteDocument'];
const TABLE_METHODS = ['schema', 'query', 'mergeInsert', 'addColumns', 'updateFieldMetadata', 'delete', 'countRows'];

/**
 * One pass: a fresh store, every point written at version 1, then again at version 2 (the matched-
 * update path and the delete look-up with rows to compare). Returns the cost of each write phase,
 * and with `parts` the adapter and Lance calls inside them.
 */
async function pass(variant: Variant, parts?: Map<string, Cost>): Promise<Map<string, Cost>> {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-storewrite-'));
  const wrapAdapter = (adapter: object) => {
    if (!parts) return adapter;
    // The adapter's open tables, each wrapped once, so the Lance calls under an adapter call are timed too.
    const tables = (adapter as { tables: Map<string, Promise<object>> }).tables;
    const get = tables.get.bind(tables);
    const wrapped = new WeakMap<object, object>();
    const wrap = (table: object) => wrapped.get(table) ?? wrapped.set(table, instrument(table, 'lance', parts, TABLE_METHODS)).get(table);
    tables.get = (key) => get(key)?.then(wrap) as Promise<object> | undefined;
    return instrument(adapter, 'adapter', parts, ADAPTER_METHODS);
  };
  const store = variant.open(dir, wrapAdapter);
  const phases = new Map<string, Cost>();
  try {
    await store.ensureCollection('bench', spec as CollectionSpec);
    parts?.clear();
    for (const version of [1, 2]) {
      const cost = zero();
      for (const points of writesOf(pointsByVersion.get(version) as StoredPoint[])) await measured(cost, () => store.upsert('bench', points));
      phases.set(version === 1 ? 'first write of each point (inserts)' : 'the same points at a newer version (updates)', cost);
    }
    if ((await store.count('bench')) !== chunks.length) throw new Error(`${variant.name}: ${await store.count('bench')} points stored, expected ${chunks.length}`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return phases;
}

// -- rounds -----------------------------------------------------------------------------------

const add = (into: Map<string, Cost>, from: Map<string, Cost>) => {
  for (const [key, c] of from) {
    const sum = into.get(key) ?? zero();
    into.set(key, { wall: sum.wall + c.wall, main: sum.main + c.main, process: sum.process + c.process, calls: sum.calls + c.calls });
  }
};
const rounds = Number(values.rounds);
const totals = variants.map(() => new Map<string, Cost>());
const breakdowns = variants.map(() => new Map<string, Cost>());
await pass(variants[variants.length - 1]); // warm-up: module loading, Lance's first connection
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
  for (const i of order) add(totals[i], await pass(variants[i]));
  for (const i of order) {
    const parts = new Map<string, Cost>();
    await pass(variants[i], parts);
    add(breakdowns[i], parts);
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

// -- report -----------------------------------------------------------------------------------

const writes = writeCount * 2 * rounds;
const ms = (n: number) => n.toFixed(2);
const row = (label: string, c: Cost, per: number) => `| ${label} | ${c.calls / rounds} | ${ms(c.main / per)} | ${ms(c.process / per)} | ${ms(c.wall / per)} |`;
const lines = [
  `# Store write cost on the ingest path — ${new Date().toISOString()}`,
  '',
  `- ${documents.length} documents → ${chunks.length} chunks; writes of ≤ ${writeSize} points (${writeCount} per version) into a fresh`,
  `  embedded store, at version 1 then 2; ${rounds} rounds${variants.length > 1 ? ', variants alternating' : ''}; load average (1/5/15 min) before: ${loadBefore}, after: ${loadavg()}`,
  '- main: the main thread\'s CPU (what the ONNX sessions lose); process: every thread\'s (LanceDB\'s pool included)',
  '',
];
for (const [i, variant] of variants.entries()) {
  lines.push(`## ${variant.name}`, '', '| per write | calls per round | main CPU ms | process CPU ms | wall ms |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [phase, c] of totals[i]) lines.push(row(phase, c, c.calls));
  const all = [...totals[i].values()].reduce((a, c) => ({ wall: a.wall + c.wall, main: a.main + c.main, process: a.process + c.process, calls: a.calls + c.calls }), zero());
  lines.push(row('**every write**', all, all.calls));
  lines.push(`| per 1,000 chunks written | | ${ms((all.main * 1000) / (chunks.length * 2 * rounds))} | ${ms((all.process * 1000) / (chunks.length * 2 * rounds))} | ${ms((all.wall * 1000) / (chunks.length * 2 * rounds))} |`);
  lines.push('', 'Instrumented pass, per write (calls nest: the lance.* calls happen inside the adapter.* ones):', '', '| part | calls per round | main CPU ms | process CPU ms | wall ms |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [part, c] of [...breakdowns[i]].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(row(part, c, writes));
  lines.push('');
}
if (variants.length === 2) {
  const sum = (m: Map<string, Cost>) => [...m.values()].reduce((a, c) => ({ wall: a.wall + c.wall, main: a.main + c.main, process: a.process + c.process, calls: a.calls + c.calls }), zero());
  const [a, b] = totals.map(sum);
  const perThousand = (c: Cost) => (c.main * 1000) / (chunks.length * 2 * rounds);
  lines.push(
    '## Before → after, per write',
    '',
    `- main-thread CPU ${ms(a.main / a.calls)} → ${ms(b.main / b.calls)} ms (×${(b.main / a.main).toFixed(2)}); process CPU ${ms(a.process / a.calls)} → ${ms(b.process / b.calls)} ms (×${(b.process / a.process).toFixed(2)}); wall ${ms(a.wall / a.calls)} → ${ms(b.wall / b.calls)} ms (×${(b.wall / a.wall).toFixed(2)})`,
    `- main-thread CPU saved per 1,000 chunks written: ${ms(perThousand(a) - perThousand(b))} ms; process CPU saved: ${ms(((a.process - b.process) * 1000) / (chunks.length * 2 * rounds))} ms`,
    '',
  );
}
const report = lines.join('\n');
process.stdout.write(report);
if (!values['no-write']) writeFileSync(join(PROJECT_ROOT, 'bench', 'ingest', 'last-store-write.md'), report);
process.exit(0);
