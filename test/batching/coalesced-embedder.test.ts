// The worker's shared ONNX calls: texts of concurrent jobs with the same pooling, normalisation and
// prompt go into one embed call; other choices never mix into it; each job gets its own texts' vectors in
// order; a text the model refuses fails its own job only, a retryable failure fails them all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoalescedEmbedder, type TextEmbedder } from '../../src/batching/coalesced-embedder.ts';
import type { EmbedOptions } from '../../src/embed/embedder.ts';
import { EmbedlineError } from '../../src/errors.ts';

/** Vectors encode [text length, pooling is mean, normalize]; records every call. */
function fakeEmbedder(fail: (texts: readonly string[]) => EmbedlineError | undefined = () => undefined) {
  const calls: Array<{ texts: string[]; options: EmbedOptions }> = [];
  const embedder: TextEmbedder = {
    async embed(texts, options) {
      calls.push({ texts: [...texts], options });
      const err = fail(texts);
      if (err) throw err;
      const vectors = texts.map((t) => Float32Array.from([t.length, options.pooling === 'mean' ? 1 : 0, options.normalize ? 1 : 0]));
      return { vectors, tokens: texts.map((t) => t.length) };
    },
  };
  return { calls, embedder };
}

const WINDOW = { windowMs: 10, maxItems: 100 };
const MEAN = { pooling: 'mean', normalize: true } as const;
const CLS = { pooling: 'cls', normalize: false } as const;
const asArrays = (vectors: Float32Array[]) => vectors.map((v) => [...v]);

test('jobs with the same choices share one call; other choices get their own; vectors come back per job, in order', async () => {
  const { calls, embedder } = fakeEmbedder();
  const coalesced = new CoalescedEmbedder(embedder, WINDOW);

  const PASSAGE = { ...MEAN, prompt: 'passage: ' };
  const [a, b, c, d] = await Promise.all([
    coalesced.embed(['a', 'bb'], MEAN),
    coalesced.embed(['ccc'], CLS),
    coalesced.embed(['dddd'], MEAN),
    coalesced.embed(['eeeee'], PASSAGE),
  ]);

  assert.deepEqual(asArrays(a), [[1, 1, 1], [2, 1, 1]]);
  assert.deepEqual(asArrays(b), [[3, 0, 0]]);
  assert.deepEqual(asArrays(c), [[4, 1, 1]]);
  assert.deepEqual(asArrays(d), [[5, 1, 1]]);
  // No prompt is the empty one; a collection with a document prompt never shares a call with one without.
  assert.deepEqual(calls, [
    { texts: ['a', 'bb', 'dddd'], options: { ...MEAN, prompt: '' } },
    { texts: ['ccc'], options: { ...CLS, prompt: '' } },
    { texts: ['eeeee'], options: PASSAGE },
  ]);
});

test('a text the model refuses fails only its job; a retryable failure fails every job of the call', async () => {
  const tooLong = new EmbedlineError('TEXT_TOO_LONG', 'text too long');
  const { embedder } = fakeEmbedder((texts) => (texts.includes('x'.repeat(9)) ? tooLong : undefined));
  const coalesced = new CoalescedEmbedder(embedder, WINDOW);
  const settled = await Promise.allSettled([coalesced.embed(['ok'], MEAN), coalesced.embed(['x'.repeat(9)], MEAN), coalesced.embed(['fine'], MEAN)]);
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? asArrays(s.value) : s.reason)), [[[2, 1, 1]], tooLong, [[4, 1, 1]]]);

  const lost = new EmbedlineError('INFERENCE_INTERRUPTED', 'session thread lost', { retryable: true });
  const down = new CoalescedEmbedder(fakeEmbedder(() => lost).embedder, WINDOW);
  const all = await Promise.allSettled([down.embed(['a'], MEAN), down.embed(['b'], MEAN)]);
  assert.deepEqual(all.map((s) => (s.status === 'rejected' ? s.reason : 'ok')), [lost, lost]);
});
