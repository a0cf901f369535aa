import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { readStsFile } from '../../src/eval/sts.ts';
import { cosine, maxAbsDifference } from '../../src/embed/vector-math.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';

const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';

const texts = [
  'A short one.',
  'A considerably longer sentence that needs many more tokens than the first, so the batch is padded.',
  'Medium length text about embeddings.',
  'x',
  'Another sentence of a middling size, neither long nor short.',
];

test('model info comes from the folder: dims, limit, default pooling and normalisation', async () => {
  const { info } = await testEmbedder();
  assert.equal(info.dims, 384);
  assert.equal(info.maxTokens, 256);
  assert.equal(info.defaultPooling, 'mean');
  assert.equal(info.normalize, true);
  assert.deepEqual(info.outputs, ['last_hidden_state', 'pooler_output']);
  assert.match(info.checksum, /^[0-9a-f]{64}$/);
});

test('padding never changes a vector: alone or in any batch, every pooling', async () => {
  const embedder = await testEmbedder();
  for (const pooling of ['cls', 'mean', 'max', 'pooler'] as const) {
    const together = await embedder.embed(texts, { pooling });
    for (let i = 0; i < texts.length; i++) {
      const alone = await embedder.embed([texts[i]], { pooling });
      const diff = maxAbsDifference(alone.vectors[0], together.vectors[i]);
      assert.ok(diff <= 1e-5, `${pooling} "${texts[i]}": ${diff}`);
    }
  }
});

test('vectors come back in input order whatever the batching', async () => {
  const tiny = await loadEmbedder(MODEL_DIR, { maxBatchTokens: 16 }); // forces one text per batch
  const big = await testEmbedder();
  const a = await tiny.embed(texts);
  const b = await big.embed([...texts].reverse());
  texts.forEach((_, i) => assert.ok(maxAbsDifference(a.vectors[i], b.vectors[texts.length - 1 - i]) <= 1e-5));
  assert.deepEqual(a.tokens, [...b.tokens].reverse());
});

test('several sessions side by side give the vectors one session gives', async () => {
  const one = await loadEmbedder(MODEL_DIR, { threads: 2, sessions: 1, maxBatchTokens: 64 });
  const two = await loadEmbedder(MODEL_DIR, { threads: 2, sessions: 2, maxBatchTokens: 64 }); // several batches in flight
  const many = [...texts, ...texts.map((t) => `${t} Again, with more words.`)];
  const a = await one.embed(many);
  const b = await two.embed(many);
  many.forEach((_, i) => assert.ok(maxAbsDifference(a.vectors[i], b.vectors[i]) <= 1e-5, `text ${i}`));
});

test('normalised by default (unit length); --no-normalize keeps the raw pooled vector', async () => {
  const embedder = await testEmbedder();
  const [unit] = (await embedder.embed(['hello world'])).vectors;
  const [raw] = (await embedder.embed(['hello world'], { normalize: false })).vectors;
  assert.ok(Math.abs(Math.hypot(...unit) - 1) < 1e-6);
  assert.ok(Math.abs(Math.hypot(...raw) - 1) > 0.01);
});

test('an over-long text is an error naming its index and token count, unless truncating', async () => {
  const embedder = await testEmbedder();
  const long = 'word '.repeat(300);
  await assert.rejects(embedder.embed(['fine', long]), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'TEXT_TOO_LONG');
    assert.match(err.message, /text 1 has 302 tokens, over the model's limit of 256/);
    return true;
  });
  const { tokens } = await embedder.embed(['fine', long], { truncate: true });
  assert.deepEqual(tokens, [3, 256]);
});

test('empty and whitespace-only texts are errors naming their index', async () => {
  const embedder = await testEmbedder();
  await assert.rejects(embedder.embed(['ok', '']), { code: 'TEXT_EMPTY', message: 'text 1 is empty' });
  await assert.rejects(embedder.embed([' \n\t ']), { code: 'TEXT_EMPTY', message: 'text 0 is empty' });
});

test('a missing model folder is named in the error', async () => {
  await assert.rejects(loadEmbedder('/nonexistent/model'), { code: 'MODEL_DIR_MISSING', message: /\/nonexistent\/model/ });
});

test('a folder that is not a model says which file is missing', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'embedline-nomodel-'));
  await assert.rejects(loadEmbedder(empty), { code: 'MODEL_FILE_MISSING', message: /model\.onnx/ });
});

test('a model folder without tokenizer.json names that file', async () => {
  const partial = mkdtempSync(join(tmpdir(), 'embedline-partial-'));
  for (const file of readdirSync(MODEL_DIR)) if (file !== 'tokenizer.json') symlinkSync(join(MODEL_DIR, file), join(partial, file));
  await assert.rejects(loadEmbedder(partial), { code: 'MODEL_FILE_MISSING', message: /tokenizer\.json/ });
});

test('--quantized loads model_int8.onnx, whose vectors agree with fp32 at cosine ≥ 0.97 on sentences and ~250-token passages', async () => {
  const int8 = await testEmbedder({ quantized: true });
  const fp32 = await testEmbedder();
  assert.match(int8.info.onnxPath, /model_int8\.onnx$/);
  // STS-b dev sentences, and passages of them cut at the model's limit: the replaced per-tensor int8
  // file fell to ~0.90 on passages (u8×s8 saturation on AVX2 without VNNI); per channel holds ~0.99.
  const sentences = readStsFile(STS_DEV).slice(0, 60).flatMap((pair) => [pair.first, pair.second]);
  const passages = Array.from({ length: 8 }, (_, i) => sentences.slice(i * 12).concat(sentences.slice(0, i * 12)).join(' '));
  for (const [label, set] of [['sentences', sentences], ['passages', passages]] as const) {
    const [a, b] = await Promise.all([int8.embed(set, { truncate: true }), fp32.embed(set, { truncate: true })]);
    if (label === 'passages') assert.ok(Math.min(...a.tokens) >= 240, `passages of ${Math.min(...a.tokens)} tokens`);
    const cosines = a.vectors.map((v, i) => cosine(v, b.vectors[i]));
    const min = Math.min(...cosines);
    assert.ok(min >= 0.97, `int8 vs fp32 on ${label}: min cosine ${min}`);
    // Still the int8 graph, not fp32 loaded twice.
    assert.ok(Math.max(...cosines) < 0.999999, `int8 vs fp32 on ${label}: max cosine ${Math.max(...cosines)}`);
  }
});

test('inference runs off the main thread: timers keep firing during a long embed call', async () => {
  // One big batch (64 × ~250 tokens) takes seconds; computed on the main thread it would freeze
  // every timer (queue lock renewal, HTTP) for all of that time.
  const embedder = await loadEmbedder(MODEL_DIR, { maxBatchTokens: 64 * 256 });
  const passage = 'Glaciers carve valleys as they flow downhill under their own weight, carrying rocks. '.repeat(14);
  let last = performance.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  await embedder.embed(Array.from({ length: 64 }, (_, i) => `${i} ${passage}`), { truncate: true });
  const took = performance.now() - started;
  clearInterval(timer);
  assert.ok(longestGap < Math.max(500, took / 4), `longest timer gap ${longestGap.toFixed(0)} ms during a ${took.toFixed(0)} ms embed`);
});
