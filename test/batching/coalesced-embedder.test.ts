// The worker's shared ONNX runs: rows of concurrent jobs with the same pooling, normalisation and prompt
// share runs cut by length within the token budget, rows of other choices never mix in; each job gets
// its own texts' vectors in order (the real model's vectors equal a call of the job alone); the oldest
// job is done first; a text the model refuses fails its own job only, a retryable failure fails every
// job with a row in the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoalescedEmbedder, type TokenEmbedder } from '../../src/batching/coalesced-embedder.ts';
import type { EmbedOptions } from '../../src/embed/embedder.ts';
import { maxAbsDifference } from '../../src/embed/vector-math.ts';
import { EmbedlineError, TextTooLongError } from '../../src/errors.ts';
import { testEmbedder } from '../support/model.ts';

type Choices = Pick<EmbedOptions, 'pooling' | 'normalize'>;

/**
 * A text is as many tokens as characters (prompt included), at most 9; vectors encode [tokens, pooling
 * is mean, normalize]. Every run is recorded; while `held` is set, runs wait until it is released.
 */
function fakeEmbedder(maxBatchTokens: number, fail: (rows: readonly number[][]) => EmbedlineError | undefined = () => undefined) {
  const runs: Array<{ lengths: number[]; options: Choices }> = [];
  /** Each run's rows by their first character (tests give each job its own letter). */
  const letters: string[] = [];
  let release = () => {};
  let held: Promise<void> | undefined = new Promise((resolve) => (release = resolve));
  const embedder: TokenEmbedder = {
    maxBatchTokens,
    parallelRuns: 1,
    tokenize(texts, _truncate, prompt = '') {
      return texts.map((t, i) => {
        if ((prompt + t).length > 9) throw new TextTooLongError(i, (prompt + t).length, 9);
        return Array.from(prompt + t, (ch) => ch.charCodeAt(0));
      });
    },
    async embedTokenIds(rows, options) {
      runs.push({ lengths: rows.map((r) => r.length), options });
      letters.push(rows.map((r) => String.fromCharCode(r[0])).join(''));
      await held;
      const err = fail(rows);
      if (err) throw err;
      const vectors = rows.map((r) => Float32Array.from([r.length, options.pooling === 'mean' ? 1 : 0, options.normalize ? 1 : 0]));
      return { vectors, tokens: rows.map((r) => r.length) };
    },
  };
  return {
    runs,
    letters,
    embedder,
    release: () => {
      held = undefined;
      release();
    },
  };
}

const ONE_AT_A_TIME = { lookaheadRows: 128, extraRuns: 0 };
const MEAN = { pooling: 'mean', normalize: true } as const;
const CLS = { pooling: 'cls', normalize: false } as const;
const asArrays = (vectors: Float32Array[]) => vectors.map((v) => [...v]);

test("runs are stretches of the waiting rows sorted by length that fill the budget, hold an oldest job's row and pad least; other choices never mix in", async () => {
  const { runs, embedder, release } = fakeEmbedder(12);
  const coalesced = new CoalescedEmbedder(embedder, ONE_AT_A_TIME);
  const PASSAGE = { ...MEAN, prompt: 'p:' };
  // The first job starts at once, alone; the others wait for its run and then share.
  const first = coalesced.embed(['aaaa'], MEAN);
  const rest = [coalesced.embed(['a', 'bbb', 'cc'], MEAN), coalesced.embed(['gg'], CLS), coalesced.embed(['dd', 'eee', 'f'], MEAN), coalesced.embed(['hhh'], PASSAGE)];
  assert.deepEqual(coalesced.load, { waiting: 8, running: 1 });
  release();
  const [a, b, c, d, e] = await Promise.all([first, ...rest]);

  assert.deepEqual(asArrays(a), [[4, 1, 1]]);
  assert.deepEqual(asArrays(b), [[1, 1, 1], [3, 1, 1], [2, 1, 1]]);
  assert.deepEqual(asArrays(c), [[2, 0, 0]]);
  assert.deepEqual(asArrays(d), [[2, 1, 1], [3, 1, 1], [1, 1, 1]]);
  assert.deepEqual(asArrays(e), [[5, 1, 1]], 'the prompt is part of the tokens');
  assert.deepEqual(runs, [
    { lengths: [4], options: MEAN },
    // Sorted a f cc dd bbb eee (1 1 2 2 3 3 tokens), 12 a run: cc dd bbb eee (4 rows of 3) pads 2 tokens of 12,
    // less than a f cc dd (2 of 8) or f cc dd bbb (4 of 12). The run hands the embedder its rows job by job.
    { lengths: [2, 3, 2, 3], options: MEAN },
    { lengths: [1, 1], options: MEAN },
    { lengths: [2], options: CLS },
    { lengths: [5], options: MEAN },
  ]);
  assert.deepEqual(coalesced.load, { waiting: 0, running: 0 });
});

test('merged jobs pad about as little as one call of all their rows, and the oldest job is done first', async () => {
  const { runs, embedder, release } = fakeEmbedder(24);
  const coalesced = new CoalescedEmbedder(embedder, { lookaheadRows: 1000, extraRuns: 0 });
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const jobs = Array.from({ length: 6 }, () => Array.from({ length: 20 }, () => 'x'.repeat(1 + Math.floor(random() * 8))));
  const done: number[] = [];
  const results = await Promise.all(
    jobs.map((texts, j) => {
      const job = coalesced.embed(texts, MEAN).then((v) => (done.push(j), v));
      if (j === 0) release();
      return job;
    }),
  );
  results.forEach((vectors, j) => assert.deepEqual(vectors.map((v) => v[0]), jobs[j].map((t) => t.length)));
  const padded = (lengths: number[]) => lengths.length * Math.max(...lengths);
  const tokens = jobs.flat().reduce((n, t) => n + t.length, 0);
  const merged = runs.reduce((n, r) => n + padded(r.lengths), 0);
  assert.ok(merged - tokens <= 0.15 * tokens, `padding ${merged - tokens} of ${tokens} tokens`);
  assert.ok(runs.every((r) => padded(r.lengths) <= 24));
  assert.equal(done[0], 0);
});

test('until a first job is done, runs hold only the oldest job\'s rows (the first job after start-up is done first)', async () => {
  const { letters, embedder, release } = fakeEmbedder(6);
  const coalesced = new CoalescedEmbedder(embedder, { lookaheadRows: 1000, extraRuns: 1 });
  // Three jobs arrive together, as when a worker starts with jobs queued: a's rows are long, b's and c's short.
  const jobs = [coalesced.embed(['aaa', 'a', 'aaaa', 'aa'], MEAN), coalesced.embed(['b', 'bb', 'b'], MEAN), coalesced.embed(['cc', 'c'], MEAN)];
  release();
  await Promise.all(jobs);
  const lastOfA = letters.map((run) => run.includes('a')).lastIndexOf(true);
  assert.ok(letters.slice(0, lastOfA + 1).every((run) => /^a+$/.test(run)), `runs by job: ${JSON.stringify(letters)}`);
  assert.ok(letters.length > lastOfA + 1, 'b and c are embedded after a');
});

test('a text the model refuses fails only its job; a final run failure fails only the job with the row; a retryable one every job in the run', async () => {
  const poison = new EmbedlineError('INPUT_INVALID', 'row refused');
  const fake = fakeEmbedder(100, (rows) => (rows.some((r) => r.length === 7) ? poison : undefined));
  const coalesced = new CoalescedEmbedder(fake.embedder, ONE_AT_A_TIME);
  const held = coalesced.embed(['first'], MEAN);
  const settled = Promise.allSettled([coalesced.embed(['7chars!', 'abc'], MEAN), coalesced.embed(['ok', 'fine'], MEAN), coalesced.embed(['x'.repeat(10)], MEAN), coalesced.embed(['good'], MEAN)]);
  fake.release();
  await held;
  const [bad, ok, tooLong, good] = await settled;
  assert.deepEqual(bad.status === 'rejected' && bad.reason, poison);
  assert.deepEqual(ok.status === 'fulfilled' && asArrays(ok.value), [[2, 1, 1], [4, 1, 1]]);
  assert.ok(tooLong.status === 'rejected' && tooLong.reason instanceof TextTooLongError);
  assert.deepEqual(good.status === 'fulfilled' && asArrays(good.value), [[4, 1, 1]]);
  // One merged run, then each job's part of it alone: only the poison job's is refused.
  assert.deepEqual(
    fake.runs.map((r) => r.lengths),
    [[5], [2, 4, 3, 7, 4], [2, 4], [3, 7], [4]],
  );

  const lost = new EmbedlineError('INFERENCE_INTERRUPTED', 'session thread lost', { retryable: true });
  const down = fakeEmbedder(100, () => lost);
  const failing = new CoalescedEmbedder(down.embedder, ONE_AT_A_TIME);
  const all = Promise.allSettled([failing.embed(['a'], MEAN), failing.embed(['b', 'c'], MEAN), failing.embed(['d'], MEAN)]);
  down.release();
  assert.deepEqual((await all).map((s) => (s.status === 'rejected' ? s.reason : 'ok')), [lost, lost, lost]);
  assert.equal(down.runs.length, 2, 'the first job alone, then the two waiting jobs in one run; nothing re-run');
});

test('with the real model, every job gets the vectors a call of its own texts gives', async () => {
  const embedder = await testEmbedder({ threads: 2 });
  const coalesced = new CoalescedEmbedder(embedder);
  const words = 'the quick brown fox jumps over a lazy dog while stars burn hydrogen into helium far away'.split(' ');
  const jobs = Array.from({ length: 5 }, (_, j) => Array.from({ length: 30 }, (_, i) => words.slice(0, 1 + ((i * 7 + j * 3) % words.length)).join(' ')));
  const merged = await Promise.all(jobs.map((texts) => coalesced.embed(texts, { pooling: 'mean', normalize: true })));
  for (const [j, texts] of jobs.entries()) {
    const alone = await embedder.embed(texts, { pooling: 'mean', normalize: true });
    assert.equal(merged[j].length, texts.length);
    merged[j].forEach((v, i) => assert.ok(maxAbsDifference(v, alone.vectors[i]) < 1e-5, `job ${j} text ${i}`));
  }
  assert.deepEqual(coalesced.load, { waiting: 0, running: 0 });
});
