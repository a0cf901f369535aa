// `embedline eval compare` on the shared STS-b dev split reproduces the known fp32 mean figure and
// lists every pooling with its throughput; `embedline eval retrieval` scores the sample collection
// with the sample queries (each expects the article that ranks first), and a bad queries file is
// one line naming the file and line.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';

const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';
const iso = isolatedEnv('eval-commands');

before(async () => {
  await buildSampleCollection(iso, 'articles');
});
after(() => iso.cleanup());

test('eval compare: every pooling in one table; mean at fp32 is 0.86716 ± 0.0005', async () => {
  const result = await runCli(['eval', 'compare', STS_DEV, '--json'], { env: iso.env });
  assert.equal(result.code, 0, result.stderr);
  const { pairs, variants } = JSON.parse(result.stdout) as { pairs: number; variants: Array<{ pooling: string; quantized: boolean; spearman: number; sentencesPerSecond: number }> };
  assert.equal(pairs, 1500);
  assert.deepEqual(variants.map((v) => v.pooling), ['cls', 'mean', 'max', 'pooler']);
  assert.ok(variants.every((v) => !v.quantized && v.sentencesPerSecond > 0 && v.spearman > 0.3 && v.spearman < 1), result.stdout);
  const mean = variants.find((v) => v.pooling === 'mean')?.spearman ?? NaN;
  assert.ok(Math.abs(mean - 0.86716) <= 0.0005, `mean ${mean}`);
  // The model was trained for mean pooling: it should beat the others on STS.
  assert.ok(variants.every((v) => v.pooling === 'mean' || v.spearman < mean), result.stdout);
});

test('eval compare --quantized both: fp32 and int8 rows; int8 mean is 0.86588 ± 0.001', async () => {
  const result = await runCli(['eval', 'compare', STS_DEV, '--poolings', 'mean', '--quantized', 'both'], { env: iso.env });
  assert.equal(result.code, 0, result.stderr);
  const [header, ...rows] = result.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/));
  assert.deepEqual(rows.map((r) => r.slice(0, 2)).filter((r) => r[0] === 'mean'), [['mean', 'fp32'], ['mean', 'int8']], result.stdout);
  // MiniLM declares no prompts: its rows say so.
  assert.deepEqual(rows.map((r) => r[header.indexOf('prompts')]), ['off', 'off'], result.stdout);
  const int8 = Number(rows.find((r) => r[1] === 'int8')?.[header.indexOf('spearman')]);
  assert.ok(Math.abs(int8 - 0.86588) <= 0.001, `int8 ${int8}`);
});

test('eval retrieval: the sample queries find their articles first', async () => {
  const queries = join(iso.dir, 'queries.jsonl');
  const samples = readFileSync(new URL('../../samples/queries.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query: string; expected: string });
  writeFileSync(queries, samples.map((q, i) => JSON.stringify({ query: q.query, expected: i % 2 ? q.expected : [q.expected] })).join('\n') + '\n');
  const result = await runCli(['eval', 'retrieval', '--collection', 'articles', '--queries', queries, '--json'], { env: iso.env });
  assert.equal(result.code, 0, result.stderr);
  const metrics = JSON.parse(result.stdout);
  assert.deepEqual(metrics, { collection: 'articles', mode: 'dense', queries: samples.length, recallAt1: 1, recallAt5: 1, recallAt10: 1, mrrAt10: 1, ndcgAt10: 1 });
});

test('eval retrieval: a bad queries line is one line naming the file and line, exit 2 (INPUT_INVALID)', async () => {
  const queries = join(iso.dir, 'bad.jsonl');
  writeFileSync(queries, '{"query": "stars", "expected": "a1"}\n{"query": "planets"}\n');
  const result = await runCli(['eval', 'retrieval', '--collection', 'articles', '--queries', queries], { env: iso.env });
  assert.equal(result.code, 2);
  assert.equal(result.stderr.trim(), `error: ${queries}:2: "expected" must be a document id or a non-empty array of them`);
});
