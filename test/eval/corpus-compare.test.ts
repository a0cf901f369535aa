// `embedline eval compare SOURCE --queries Q.jsonl` on the user's own corpus: the sample articles,
// read with ingest's flags, embedded once per variant into throw-away collections of a temporary
// store. Mean pooling at fp32 must score exactly what `eval retrieval` scores on a collection the
// real `ingest` built from the same file, the temporary folder must be gone afterwards (also after
// an error or Ctrl-C), no Redis is needed, and every bad input is one line with a non-zero exit.
// The command lines run one after another in one child process (test/support/cli-batch.ts: one
// Node + tsx start and model load for all of them); Ctrl-C needs a process of its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import type { BatchResult, BatchRun } from '../support/cli-batch.ts';
import { BIN, PROJECT_ROOT } from '../support/run-cli.ts';
import { buildSampleCollection } from '../support/sample-collection.ts';
import { writeTempFile } from '../support/temp-files.ts';

// Absolute: the in-process command lines resolve paths against this process's working folder.
const QUERIES = join(PROJECT_ROOT, 'test/fixtures/eval/articles-queries.jsonl');
const ARTICLES = join(PROJECT_ROOT, 'samples/articles.csv');
const STS_DEV = join(PROJECT_ROOT, '../shared/data/stsbenchmark/sts-dev.csv');
/** The flags buildSampleCollection's ingest uses, so both commands read the corpus alike. */
const ARTICLE_FLAGS = ['--text-column', 'title,body', '--id-column', 'id', '--metadata-columns', 'category,year,author'];
const iso = isolatedEnv('corpus-compare');
/** The commands' TMPDIR: whatever they leave behind shows up here. */
const tmp = join(iso.dir, 'tmp');
/** Nothing listens there: the comparison must not need Redis. */
const env = { ...(iso.env as Record<string, string>), TMPDIR: tmp, REDIS_URL: 'redis://127.0.0.1:1' };

interface CompareJson {
  source: string;
  queries: number;
  documents: number;
  rejected: number;
  chunks: number;
  unknownExpected: number;
  variants: Array<{ pooling: string; quantized: boolean; mode: string; recallAt1: number; recallAt5: number; recallAt10: number; mrrAt10: number; ndcgAt10: number; chunksPerSecond: number }>;
}

const METRICS = ['recallAt1', 'recallAt5', 'recallAt10', 'mrrAt10', 'ndcgAt10'] as const;
const leftovers = () => readdirSync(tmp).filter((name) => name.startsWith('embedline-compare-'));

const small = join(iso.dir, 'small');
const corpus = join(small, 'notes.csv');
const unknownIdQueries = join(small, 'unknown-id.jsonl');
const goodQueries = join(small, 'good.jsonl');
const badLineQueries = join(small, 'bad-line.jsonl');
const strangerQueries = join(small, 'strangers.jsonl');
const missingQueries = join(small, 'missing.jsonl');

/** Each bad command line with the one line it must print. */
/** Command line, exit code (1 a runtime failure, 2 a usage error: docs/cli.md), the one error line. */
const BAD_INPUT: Array<[string[], 1 | 2, string]> = [
  [['nope.csv', '--queries', goodQueries, '--text-column', 'text'], 1, 'error: source not found: nope.csv'],
  [[corpus, '--queries', missingQueries, '--text-column', 'text'], 2, `error: cannot read queries file ${missingQueries}: ENOENT: no such file or directory, open '${missingQueries}'`],
  [[corpus, '--queries', badLineQueries, '--text-column', 'text'], 2, `error: ${badLineQueries}:2: not valid JSON`],
  [[corpus, '--queries', goodQueries, '--text-column', 'text', '--poolings', 'mean,avg'], 2, 'error: unknown pooling "avg" (expected one of cls, mean, max, pooler)'],
  [[corpus, '--queries', goodQueries, '--text-column', 'text', '--quantized', 'yes'], 2, 'error: --quantized takes no value or "both", got "yes"'],
  [[corpus, '--queries', goodQueries], 2, `error: a CSV source needs at least one text field to index (${corpus})`],
  [[corpus, '--queries', goodQueries, '--text-column', 'body'], 1, `error: ${corpus} has no column "body" (its header has: id, text)`],
  [
    [corpus, '--queries', strangerQueries, '--text-column', 'text', '--id-column', 'id', '--poolings', 'mean'],
    2,
    `error: no expected id of the queries is a document of ${corpus} (first: "x1"); are the id column/field and the corpus the ones the queries were written for?`,
  ],
  [[STS_DEV, '--text-column', 'text'], 2, 'error: --text-column applies only with --queries, when the source is a corpus'],
  [[STS_DEV, '--modes', 'hybrid'], 2, 'error: --modes applies only with --queries, when the source is a corpus'],
  [[corpus, '--queries', goodQueries, '--text-column', 'text', '--modes', 'dense,fuzzy'], 2, 'error: --modes must be one of dense, keyword, hybrid, got "fuzzy"'],
];

let ingested: { points: number; documents: number };
let articles: BatchResult;
let retrieval: BatchResult;
let smallCorpus: BatchResult;
let badInput: BatchResult[];
let leftAfterBatch: string[];

before(async () => {
  mkdirSync(tmp, { recursive: true });
  writeTempFile(small, 'notes.csv', 'id,text\nn1,The heart pumps blood around the body.\nn2,\nn3,Volcanoes erupt molten rock called lava.\n');
  writeTempFile(small, 'unknown-id.jsonl', '{"query": "what moves blood", "expected": "n1"}\n{"query": "lava", "expected": ["n3", "n9"]}\n');
  writeTempFile(small, 'good.jsonl', '{"query": "blood", "expected": "n1"}\n');
  writeTempFile(small, 'bad-line.jsonl', '{"query": "blood", "expected": "n1"}\n{"query": "blood", "expected": \n');
  writeTempFile(small, 'strangers.jsonl', '{"query": "blood", "expected": "x1"}\n{"query": "lava", "expected": ["x2"]}\n');
  ingested = await buildSampleCollection(iso, 'articles');
  [articles, retrieval, smallCorpus, ...badInput] = await runBatch([
    { args: ['eval', 'compare', ARTICLES, '--queries', QUERIES, ...ARTICLE_FLAGS, '--poolings', 'mean,cls', '--quantized', 'both', '--json'], env },
    // eval retrieval needs the Redis-free part of the real environment only: the ingested collection.
    { args: ['eval', 'retrieval', '--collection', 'articles', '--queries', QUERIES, '--json'], env: iso.env as Record<string, string> },
    { args: ['eval', 'compare', corpus, '--queries', unknownIdQueries, '--text-column', 'text', '--id-column', 'id', '--poolings', 'mean'], env },
    ...BAD_INPUT.map(([args]) => ({ args: ['eval', 'compare', ...args], env })),
  ]);
  leftAfterBatch = leftovers();
});
after(() => iso.cleanup());

async function runBatch(runs: BatchRun[]): Promise<BatchResult[]> {
  const runsFile = join(iso.dir, 'runs.json');
  const resultsFile = join(iso.dir, 'results.json');
  writeFileSync(runsFile, JSON.stringify(runs));
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/support/cli-batch.ts'), runsFile, resultsFile], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `the command-line batch failed: ${stderr}`);
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as BatchResult[];
}

test('mean/cls × fp32/int8 on the articles: 4 variants, metrics in [0,1], mean fp32 equal to eval retrieval on an ingested collection', () => {
  assert.equal(articles.code, 0, articles.stderr);
  const report = JSON.parse(articles.stdout) as CompareJson;
  assert.deepEqual(
    report.variants.map((v) => `${v.pooling}-${v.quantized ? 'int8' : 'fp32'}`),
    ['mean-fp32', 'cls-fp32', 'mean-int8', 'cls-int8'],
  );
  assert.deepEqual(
    { source: report.source, queries: report.queries, documents: report.documents, rejected: report.rejected, chunks: report.chunks, unknownExpected: report.unknownExpected },
    { source: ARTICLES, queries: 16, documents: ingested.documents, rejected: 0, chunks: ingested.points, unknownExpected: 0 },
  );
  for (const variant of report.variants) {
    for (const metric of METRICS) assert.ok(variant[metric] >= 0 && variant[metric] <= 1, `${variant.pooling} ${metric} ${variant[metric]}`);
    assert.ok(variant.chunksPerSecond > 0, JSON.stringify(variant));
  }
  // Recall can only grow with k.
  assert.ok(report.variants.every((v) => v.recallAt1 <= v.recallAt5 && v.recallAt5 <= v.recallAt10), articles.stdout);

  assert.equal(retrieval.code, 0, retrieval.stderr);
  const { collection: _name, queries: _count, mode, ...ingestedMetrics } = JSON.parse(retrieval.stdout) as Record<string, number | string>;
  assert.equal(mode, 'dense');
  assert.ok(report.variants.every((v) => v.mode === 'dense'), 'dense only unless --modes asks for more');
  const meanFp32 = report.variants[0];
  assert.deepEqual(Object.fromEntries(METRICS.map((m) => [m, meanFp32[m]])), ingestedMetrics);
});

test('a small corpus: rejected rows counted, expected ids the corpus lacks warned about and counted as misses; the table form', () => {
  assert.equal(smallCorpus.code, 0, smallCorpus.stderr);
  const [summary, header, row, ...rest] = smallCorpus.stdout.trim().split('\n');
  assert.equal(summary, `${corpus}: 2 documents (1 rejected), 2 chunks, 2 queries`);
  assert.deepEqual(header.split(/\s+/), ['pooling', 'model', 'prompts', 'mode', 'recall@1', 'recall@5', 'recall@10', 'MRR@10', 'nDCG@10', 'chunks/s']);
  // n9 is not in the corpus: the "lava" query can find only half of what it expects.
  assert.deepEqual(row.split(/\s+/).slice(0, 9), ['mean', 'fp32', 'off', 'dense', '0.750', '0.750', '0.750', '1.000', '0.807']);
  assert.deepEqual(rest, []);
  const warning = JSON.parse(smallCorpus.stderr.trim()) as { level: string; event: string; message: string; ids: string[] };
  assert.deepEqual({ level: warning.level, event: warning.event, ids: warning.ids }, { level: 'warn', event: 'eval.unknown-expected', ids: ['n9'] });
  assert.equal(warning.message, `1 expected id(s) of ${unknownIdQueries} are not documents of ${corpus}; they count as misses`);
});

test('bad input: one line each, exit 1 (runtime) or 2 (usage)', () => {
  BAD_INPUT.forEach(([args, code, expected], i) => {
    const result = badInput[i];
    assert.equal(result.code, code, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    assert.equal(result.stderr.trim(), expected);
  });
});

test('no temporary folder is left after the runs, the failed ones included', () => {
  assert.deepEqual(leftAfterBatch, []);
});

test('Ctrl-C while variants are embedded: the temporary folder is removed and the exit code is 130', async () => {
  const child = spawn(process.execPath, [BIN, 'eval', 'compare', ARTICLES, '--queries', QUERIES, ...ARTICLE_FLAGS, '--poolings', 'mean,cls'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // The folder holds a collection's files once the first variant's chunks are being written.
  const deadline = Date.now() + 120_000;
  while (!leftovers().some((name) => readdirSync(join(tmp, name)).length > 0)) {
    assert.ok(Date.now() < deadline, `no temporary store appeared: ${stderr}`);
    await sleep(50);
  }
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr.trim(), /^error: interrupted by SIGINT; the temporary folder .*embedline-compare-\w+ was removed$/);
  assert.deepEqual(leftovers(), []);
});
