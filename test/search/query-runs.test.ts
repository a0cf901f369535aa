// The server's run queue (query-runs.ts) with the real model: N concurrent queries take fewer ONNX
// runs than N, and each gets the vector it would get embedded alone (to 1e-5); queries of different
// poolings or prompts never share a run, however they interleave; batching off is one run each.
// Runs are counted by the embedder's own calls; nothing here depends on timing.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MIN_BATCH } from '../../src/batching/run-slots.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import type { Pooling } from '../../src/embed/pooling.ts';
import { QueryRuns, type RunVariant } from '../../src/search/query-runs.ts';
import { testEmbedder } from '../support/model.ts';

const QUERIES = [
  'how do stars produce energy',
  'what is photosynthesis',
  'history of the roman empire',
  'best way to cook rice',
  'who wrote the odyssey',
  'how does a compiler work',
  'rules of association football',
  'why is the sky blue',
  'boiling point of water at altitude',
  'what causes earthquakes',
  'the first moon landing',
  'how vaccines train the immune system',
  'a short history of jazz',
  'what is a black hole',
  'how to sharpen a kitchen knife',
  'the longest river in africa',
];

let model: Embedder;
before(async () => {
  model = await testEmbedder({ threads: 2, sessions: 2 });
});

/** The model, wrapped to record every run it is given: the variant's name and the sequences. */
function recording(name: string, runs: Array<{ variant: string; sequences: number[][] }>): Embedder {
  const wrapped = Object.create(model) as Embedder;
  wrapped.embedTokenIds = (sequences, options) => {
    runs.push({ variant: name, sequences: sequences.map((ids) => [...ids]) });
    return model.embedTokenIds(sequences, options);
  };
  return wrapped;
}

/** Each sequence embedded alone: the reference a shared run must reproduce. */
async function alone(sequences: number[][], pooling: Pooling): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (const ids of sequences) vectors.push((await model.embedTokenIds([ids], { pooling, normalize: false })).vectors[0]);
  return vectors;
}

/** One sequence through the queue, under its variant's key, as the server's callers submit it. */
function submit(queue: QueryRuns, variant: RunVariant, ids: number[]): Promise<Float32Array> {
  return queue.submit(queue.key(variant), ids, { tokens: ids.length, budget: variant.embedder.maxBatchTokens });
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  const worst = actual.reduce((max, v, i) => Math.max(max, Math.abs(v - expected[i])), 0);
  assert.ok(worst < 1e-5, `${what}: differs by ${worst}`);
}

test(`${QUERIES.length} concurrent queries share a few runs, and each gets the vector it would get alone`, async () => {
  const runs: Array<{ variant: string; sequences: number[][] }> = [];
  const variant: RunVariant = { embedder: recording('mean', runs), pooling: 'mean', prompt: '' };
  const queue = new QueryRuns({ parallelRuns: 2, batching: true });
  const sequences = model.tokenize(QUERIES, true);
  const vectors = await Promise.all(sequences.map((ids) => submit(queue, variant, ids)));
  // The first query finds the slots idle and runs at once; the rest queue behind it and fill runs of at least MIN_BATCH.
  assert.ok(runs.length <= 1 + Math.ceil((QUERIES.length - 1) / MIN_BATCH), `${runs.length} runs for ${QUERIES.length} queries`);
  assert.equal(runs.reduce((n, r) => n + r.sequences.length, 0), QUERIES.length, 'every query embedded once');
  assert.ok(Math.max(...runs.map((r) => r.sequences.length)) >= MIN_BATCH);
  const expected = await alone(sequences, 'mean');
  vectors.forEach((v, i) => assertClose(v, expected[i], `query ${i}`));
});

test('queries of different poolings or prompts never share a run, however they interleave', async () => {
  const runs: Array<{ variant: string; sequences: number[][] }> = [];
  const variants: Record<string, RunVariant> = {
    mean: { embedder: recording('mean', runs), pooling: 'mean', prompt: '' },
    cls: { embedder: recording('cls', runs), pooling: 'cls', prompt: '' },
    prompted: { embedder: recording('prompted', runs), pooling: 'mean', prompt: 'query: ' },
  };
  const names = Object.keys(variants);
  const queue = new QueryRuns({ parallelRuns: 2, batching: true });
  const asked = QUERIES.map((query, i) => {
    const name = names[i % names.length];
    const { prompt, pooling } = variants[name];
    return { name, pooling, ids: model.tokenize([query], true, prompt)[0] };
  });
  const vectors = await Promise.all(asked.map(({ name, ids }) => submit(queue, variants[name], ids)));
  for (const run of runs) {
    const own = asked.filter((a) => a.name === run.variant).map((a) => JSON.stringify(a.ids));
    for (const ids of run.sequences) assert.ok(own.includes(JSON.stringify(ids)), `a ${run.variant} run holds a sequence of another variant`);
  }
  assert.ok(runs.length < QUERIES.length, 'queries of one variant still share runs');
  for (const [i, { ids, pooling, name }] of asked.entries()) assertClose(vectors[i], (await alone([ids], pooling))[0], `${name} query ${i}`);
});

test('with batching off every query gets its own run', async () => {
  const runs: Array<{ variant: string; sequences: number[][] }> = [];
  const variant: RunVariant = { embedder: recording('mean', runs), pooling: 'mean', prompt: '' };
  const queue = new QueryRuns({ parallelRuns: 2, batching: false });
  await Promise.all(model.tokenize(QUERIES.slice(0, 5), true).map((ids) => submit(queue, variant, ids)));
  assert.deepEqual(
    runs.map((r) => r.sequences.length),
    [1, 1, 1, 1, 1],
  );
});
