import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxAbsDifference } from '../../src/embed/vector-math.ts';
import { runCli } from '../support/run-cli.ts';
import { testEmbedder } from '../support/model.ts';

function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'embedline-cli-'));
}

test('embed writes one {"vector","tokens"} line per input line, in order, equal to the library', async () => {
  const dir = workDir();
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  const texts = ['The first text.', 'Second, written as an object.', 'Third one is a bit longer than the others are.'];
  writeFileSync(input, `${JSON.stringify(texts[0])}\n${JSON.stringify({ text: texts[1] })}\n${JSON.stringify({ text: texts[2], id: 7 })}\n`);
  const result = await runCli(['embed', '--input', input, '--output', output, '--pooling', 'cls', '--no-normalize']);
  assert.equal(result.code, 0, result.stderr);
  const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { vector: number[]; tokens: number });
  const expected = await (await testEmbedder()).embed(texts, { pooling: 'cls', normalize: false });
  assert.equal(lines.length, 3);
  lines.forEach((line, i) => {
    assert.deepEqual(Object.keys(line), ['vector', 'tokens']);
    assert.equal(line.tokens, expected.tokens[i]);
    assert.ok(maxAbsDifference(line.vector, expected.vectors[i]) <= 1e-6);
  });
});

test('--truncate cuts over-long texts and reports the tokens kept', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'in.jsonl'), `${JSON.stringify('token '.repeat(400))}\n`);
  const result = await runCli(['embed', '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'out.jsonl'), '--truncate']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(readFileSync(join(dir, 'out.jsonl'), 'utf8')).tokens, 256);
});

test('bad lines are reported with their line numbers, exit non-zero, and nothing is written', async () => {
  const dir = workDir();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, ['"ok"', '{"text": 5}', 'not json', '""', '{"text": "fine"}'].join('\n') + '\n');
  const result = await runCli(['embed', '--input', input, '--output', join(dir, 'out.jsonl')]);
  assert.equal(result.code, 2, 'malformed input is a usage error (INPUT_INVALID)');
  assert.match(result.stderr, /^error: 3 bad input line\(s\), nothing written/);
  assert.match(result.stderr, /in\.jsonl:2: expected a JSON string or an object with a string "text" field/);
  assert.match(result.stderr, /in\.jsonl:3: not valid JSON/);
  assert.match(result.stderr, /in\.jsonl:4: text is empty/);
  assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
  assert.deepEqual(readdirSync(dir), ['in.jsonl']);
});

test('an over-long line without --truncate names the line and leaves no output, even after earlier groups', async () => {
  const dir = workDir();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, ['"short"', JSON.stringify('word '.repeat(300))].join('\n') + '\n');
  const result = await runCli(['embed', '--input', input, '--output', join(dir, 'out.jsonl')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /in\.jsonl:2: text has 302 tokens, over the limit of 256 \(use --truncate\)/);
  assert.equal(existsSync(join(dir, 'out.jsonl')), false);
  assert.deepEqual(readdirSync(dir), ['in.jsonl']);
});

test('a wrong model folder is a one-line error', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'in.jsonl'), '"x"\n');
  const result = await runCli(['embed', '--model', join(dir, 'missing'), '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'o.jsonl')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: model folder not found: .*missing/);
});

test('pooler pooling and an unknown pooling', async () => {
  const dir = workDir();
  writeFileSync(join(dir, 'in.jsonl'), '"x"\n');
  const ok = await runCli(['embed', '--pooling', 'pooler', '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'o.jsonl')]);
  assert.equal(ok.code, 0, ok.stderr);
  const bad = await runCli(['embed', '--pooling', 'sum', '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'o2.jsonl')]);
  assert.equal(bad.code, 2, 'a bad flag value is a usage error');
  assert.match(bad.stderr, /unknown pooling "sum"/);
});

test('model inspect prints dims, limit, pooling, normalisation and checksums', async () => {
  const result = await runCli(['model', 'inspect', '../shared/models/all-MiniLM-L6-v2', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.dims, 384);
  assert.equal(report.maxTokens, 256);
  assert.equal(report.defaultPooling, 'mean');
  assert.equal(report.normalize, true);
  assert.equal(report.files['tokenizer.json'], 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037');
  assert.equal(report.files['model.onnx'], '0a62f239219e004dbfdfe79f77185dd746c3372cb512944abd91e700576f7165');
});
