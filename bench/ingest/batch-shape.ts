// What the shape of a worker's ONNX runs costs, without Redis or a store (a script, not a test):
//
//   npx tsx bench/ingest/batch-shape.ts [--docs 2000] [--rounds 3] [--held 4] [--write-ms 40] [--lookahead 64,128,256]
//                                       [--simulate 120]
//
// The ingest bench's chunk texts (bench/ingest/corpus.ts) cut into jobs of 64 in document order, embedded
// (1) by the bare embedder in one call of the whole corpus (sorted by length into token-budget runs),
// (2) as a worker held them before: one embed call per job, two calls at once (a Coalescer of 64 items),
// (3) by the worker's CoalescedEmbedder (batching/coalesced-embedder.ts) at each --lookahead.
// For (2) and (3) a worker holds --held jobs; a finished job takes --write-ms (a sleep: the store write
// and acknowledgement, which free no core here) before its slot takes the next job. Variants are
// interleaved round by round and the best round kept, so load from elsewhere hits one try, not one
// variant; the ratio to (1) within the run is the figure.
// Each variant's padded tokens (rows × longest row, summed over its ONNX runs: what the model
// computes) are counted in every timed try too, a figure the machine's load does not move.
// --simulate US: no ONNX; each run sleeps US µs per padded token on one of the model's sessions (120:
// one single-threaded session of MiniLM-L6 fp32 on this host, 221 chunks/s of 75 tokens on 2), so
// the figures hold on a machine shared with other work: only timers, the tokenizer and the scheduling run.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CoalescedEmbedder } from '../../src/batching/coalesced-embedder.ts';
import { Coalescer } from '../../src/batching/coalescer.ts';
import { loadEmbedder, type EmbedOptions } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { planBatches } from '../../src/embed/token-budget.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';
import { stsSentences } from '../embed/texts.ts';
import { buildDocuments } from './corpus.ts';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    held: { type: 'string', default: '4' },
    'write-ms': { type: 'string', default: '40' },
    lookahead: { type: 'string', default: '64,128,256' },
    simulate: { type: 'string' },
  },
});
const held = Number(values.held);
const writeMs = Number(values['write-ms']);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = loadAverage();

const embedder = await loadEmbedder(resolveModelDir(), { threads: availableParallelism() });
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const sentences = stsSentences(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), Infinity);
const texts = buildDocuments(sentences, Number(values.docs)).flatMap((text, i) => chunkDocument({ id: `d${i}`, text, metadata: {} }, embedder.tokenizer, settings).map((c) => c.text));
const jobs = Array.from({ length: Math.ceil(texts.length / 64) }, (_, j) => texts.slice(j * 64, (j + 1) * 64));
const CHOICES = { pooling: 'mean', normalize: true } as const;
const tokensOf = new Map(texts.map((t) => [t, embedder.tokenize([t])[0].length]));

const usPerToken = values.simulate === undefined ? undefined : Number(values.simulate);

/** Padded tokens and runs since the last reset (the embedder cuts each call into token-budget runs). */
let padded = 0;
let runs = 0;
/** Simulated sessions: busy ones, and runs waiting for one. */
let busy = 0;
const waiting: Array<() => void> = [];
async function simulatedRun(tokens: number): Promise<void> {
  while (busy >= embedder.parallelRuns) await new Promise<void>((resolve) => waiting.push(resolve));
  busy++;
  await sleep((tokens * usPerToken!) / 1000);
  busy--;
  waiting.shift()?.();
}
/** Counts a call's runs; with --simulate, also sleeps them on the simulated sessions. */
async function counted(lengths: number[], real: () => Promise<{ vectors: Float32Array[] }>): Promise<{ vectors: Float32Array[]; tokens: number[] }> {
  const batches = planBatches(lengths, embedder.maxBatchTokens);
  for (const batch of batches) padded += batch.indices.length * batch.paddedLength;
  runs += batches.length;
  if (usPerToken === undefined) return { vectors: (await real()).vectors, tokens: lengths };
  await Promise.all(batches.map((b) => simulatedRun(b.indices.length * b.paddedLength)));
  return { vectors: lengths.map(() => new Float32Array(0)), tokens: lengths };
}
/** The embedder, counting the padded tokens of every call. */
const counting = {
  maxBatchTokens: embedder.maxBatchTokens,
  parallelRuns: embedder.parallelRuns,
  tokenize: (t: readonly string[], truncate?: boolean, prompt?: string) => embedder.tokenize(t, truncate, prompt),
  // Simulated, a call still tokenizes its texts as embed() does (the CoalescedEmbedder's do too).
  embed: (t: readonly string[], options: EmbedOptions) =>
    counted(usPerToken === undefined ? t.map((x) => tokensOf.get(x)!) : embedder.tokenize(t).map((ids) => ids.length), () => embedder.embed(t, options)),
  embedTokenIds: (rows: readonly number[][], options: EmbedOptions) => counted(rows.map((r) => r.length), () => embedder.embedTokenIds(rows, options)),
};

/** Jobs taken in order by `held` slots; each finished job holds its slot for writeMs more. */
async function asWorker(embed: (texts: string[]) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: held }, async () => {
      while (next < jobs.length) {
        await embed(jobs[next++]);
        await sleep(writeMs);
      }
    }),
  );
}

const variants: Array<{ name: string; run: () => Promise<unknown> }> = [
  { name: 'bare: one call of the whole corpus', run: () => counting.embed(texts, CHOICES) },
  {
    name: `one call per job, 2 at once (before), ${held} held`,
    run: () => {
      const calls = new Coalescer<string, Float32Array>(async (_key, items) => (await counting.embed(items, CHOICES)).vectors, { windowMs: 5, maxItems: 64, concurrency: 2 });
      return asWorker((t) => calls.submit('k', t));
    },
  },
  ...values.lookahead.split(',').map((n) => ({
    name: `CoalescedEmbedder, lookahead ${n} rows, ${held} held`,
    run: () => {
      const coalesced = new CoalescedEmbedder(counting, { lookaheadRows: Number(n), extraRuns: 1 });
      return asWorker((t) => coalesced.embed(t, CHOICES));
    },
  })),
];

if (usPerToken === undefined) await embedder.embed(texts.slice(0, 64), CHOICES);
const best = new Map<string, number>();
const paddedOf = new Map<string, number>();
const runsOf = new Map<string, number>();
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const v of variants) {
    padded = 0;
    runs = 0;
    const started = performance.now();
    await v.run();
    paddedOf.set(v.name, Math.max(paddedOf.get(v.name) ?? 0, padded));
    runsOf.set(v.name, Math.max(runsOf.get(v.name) ?? 0, runs));
    const seconds = (performance.now() - started) / 1000;
    best.set(v.name, Math.min(best.get(v.name) ?? Infinity, seconds));
    process.stderr.write(`round ${round}: ${v.name}: ${(texts.length / seconds).toFixed(1)} chunks/s, load ${loadAverage()}\n`);
  }
}
const bare = best.get(variants[0].name)!;
const lines = [
  `# Batch shape: ${texts.length} chunks (${texts.reduce((n, t) => n + tokensOf.get(t)!, 0)} tokens) in ${jobs.length} jobs, best of ${values.rounds}, write ${writeMs} ms per job; ${usPerToken === undefined ? 'the real model' : `simulated sessions (${embedder.parallelRuns}, ${usPerToken} µs a padded token)`}; load before ${loadBefore}, after ${loadAverage()}`,
  '',
  '| variant | chunks/s | / bare | padded tokens (most of any try) | / bare | runs |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...variants.map((v) => `| ${v.name} | ${(texts.length / best.get(v.name)!).toFixed(1)} | ${(bare / best.get(v.name)!).toFixed(3)} | ${paddedOf.get(v.name)} | ${(paddedOf.get(v.name)! / paddedOf.get(variants[0].name)!).toFixed(3)} | ${runsOf.get(v.name)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
process.exit(0);
