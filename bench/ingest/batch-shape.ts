// What the shape of a worker's ONNX runs costs, without Redis or a store (a script, not a test):
//
//   npx tsx bench/ingest/batch-shape.ts [--docs 2000] [--rounds 3] [--held 4] [--write-ms 40] [--lookahead 64,128,256]
//
// The ingest bench's chunk texts (bench/ingest/corpus.ts) cut into jobs of 64 in document order, embedded
// (1) by the bare embedder in one call of the whole corpus (sorted by length into token-budget runs),
// (2) as a worker held them before: one embed call per job, two calls at once (a Coalescer of 64 items),
// (3) by the worker's CoalescedEmbedder (batching/coalesced-embedder.ts) at each --lookahead.
// For (2) and (3) a worker holds --held jobs; a finished job takes --write-ms (a sleep: the store write
// and acknowledgement, which free no core here) before its slot takes the next job. Variants are
// interleaved round by round and the best round kept, so load from elsewhere hits one try, not one
// variant; the ratio to (1) within the run is the figure.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CoalescedEmbedder } from '../../src/batching/coalesced-embedder.ts';
import { Coalescer } from '../../src/batching/coalescer.ts';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
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
  { name: 'bare: one call of the whole corpus', run: () => embedder.embed(texts, CHOICES) },
  {
    name: `one call per job, 2 at once (before), ${held} held`,
    run: () => {
      const calls = new Coalescer<string, Float32Array>(async (_key, items) => (await embedder.embed(items, CHOICES)).vectors, { windowMs: 5, maxItems: 64, concurrency: 2 });
      return asWorker((t) => calls.submit('k', t));
    },
  },
  ...values.lookahead.split(',').map((n) => ({
    name: `CoalescedEmbedder, lookahead ${n} rows, ${held} held`,
    run: () => {
      const coalesced = new CoalescedEmbedder(embedder, { lookaheadRows: Number(n), extraRuns: 1 });
      return asWorker((t) => coalesced.embed(t, CHOICES));
    },
  })),
];

await embedder.embed(texts.slice(0, 64), CHOICES);
const best = new Map<string, number>();
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const v of variants) {
    const started = performance.now();
    await v.run();
    const seconds = (performance.now() - started) / 1000;
    best.set(v.name, Math.min(best.get(v.name) ?? Infinity, seconds));
    process.stderr.write(`round ${round}: ${v.name}: ${(texts.length / seconds).toFixed(1)} chunks/s, load ${loadAverage()}\n`);
  }
}
const bare = best.get(variants[0].name)!;
const lines = [
  `# Batch shape: ${texts.length} chunks in ${jobs.length} jobs, best of ${values.rounds}, write ${writeMs} ms per job; load before ${loadBefore}, after ${loadAverage()}`,
  '',
  '| variant | chunks/s | / bare |',
  '| --- | ---: | ---: |',
  ...variants.map((v) => `| ${v.name} | ${(texts.length / best.get(v.name)!).toFixed(1)} | ${(bare / best.get(v.name)!).toFixed(3)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
process.exit(0);
