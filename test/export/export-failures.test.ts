// model export off the happy path, without PyTorch: no Python, a Python without venv, a venv
// folder that is not one, and a proof that must fail when embedline and "PyTorch" disagree (the
// proof's checks run on references made from the shared model, then spoiled one way at a time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pooling } from '../../src/embed/pooling.ts';
import { proveExport, type PytorchReference } from '../../src/export/export-proof.ts';
import { PROOF_TEXTS } from '../../src/export/proof-texts.ts';
import { testEmbedder } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedline-export-fail-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('error:'));
}

test('no Python: one line naming what is missing and EMBEDLINE_PYTHON', async (t) => {
  const dir = tempDir(t);
  const result = await runCli(['model', 'export', 'org/name', '--out', join(dir, 'out')], {
    env: { EMBEDLINE_PYTHON: join(dir, 'no-python3'), EMBEDLINE_EXPORT_VENV: join(dir, 'venv') },
  });
  assert.equal(result.code, 1);
  assert.deepEqual(errorLines(result.stderr), [
    `error: model export needs Python 3.9+ with its venv module, and ${join(dir, 'no-python3')} could not be run (ENOENT): install Python 3 or set EMBEDLINE_PYTHON to one`,
  ]);
  assert.ok(!existsSync(join(dir, 'out')));
});

test('a Python without a working venv module: one line naming the package to install', async (t) => {
  const dir = tempDir(t);
  // What Debian's python3 prints for `-m venv` when python3-venv is not installed.
  const python = join(dir, 'python3');
  writeFileSync(
    python,
    '#!/bin/sh\necho "The virtual environment was not created successfully because ensurepip is not"\necho "available.  On Debian/Ubuntu systems, you need to install the python3-venv package"\nexit 1\n',
  );
  chmodSync(python, 0o755);
  const result = await runCli(['model', 'export', 'org/name', '--out', join(dir, 'out')], { env: { EMBEDLINE_PYTHON: python, EMBEDLINE_EXPORT_VENV: join(dir, 'venv') } });
  assert.equal(result.code, 1);
  assert.deepEqual(errorLines(result.stderr), [`error: ${python} has no working venv module, which model export needs: install it (Debian/Ubuntu: apt-get install python3-venv)`]);
});

test('EMBEDLINE_EXPORT_VENV naming a folder that is not a venv is refused, and the folder kept', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'precious.txt'), 'keep me');
  const result = await runCli(['model', 'export', 'org/name', '--out', join(dir, 'out')], { env: { EMBEDLINE_EXPORT_VENV: dir } });
  assert.equal(result.code, 1);
  assert.deepEqual(errorLines(result.stderr), [`error: ${dir} exists and is not a Python virtual environment: set EMBEDLINE_EXPORT_VENV to a new or empty folder`]);
  assert.ok(existsSync(join(dir, 'precious.txt')));
});

test('--out naming the checkpoint itself (or a folder holding it) is refused, even with --force, and nothing is touched', async (t) => {
  const dir = tempDir(t);
  const checkpoint = join(dir, 'ckpt');
  mkdirSync(checkpoint);
  writeFileSync(join(checkpoint, 'config.json'), '{}');
  for (const out of [checkpoint, dir]) {
    const result = await runCli(['model', 'export', checkpoint, '--out', out, '--force'], { env: { EMBEDLINE_EXPORT_VENV: join(dir, 'venv') } });
    assert.equal(result.code, 1);
    assert.deepEqual(errorLines(result.stderr), [`error: --out ${out} holds the checkpoint being exported: name another folder`]);
  }
  assert.equal(readFileSync(join(checkpoint, 'config.json'), 'utf8'), '{}');
  assert.ok(!existsSync(join(dir, 'venv')), 'refused before any Python runs');
});

/** What PyTorch would have written for the shared model, taken from embedline itself (agreement 1). */
async function referenceFromSharedModel(): Promise<PytorchReference> {
  const embedder = await testEmbedder();
  const texts = PROOF_TEXTS.map((p) => p.text);
  const poolings: Pooling[] = ['cls', 'mean', 'max', 'pooler'];
  const rows: PytorchReference['texts'] = embedder.tokenize(texts, true).map((ids) => ({ ids }));
  for (const pooling of poolings) {
    const { vectors } = await embedder.embed(texts, { pooling, normalize: false, truncate: true });
    vectors.forEach((v, i) => (rows[i][pooling] = [...v]));
  }
  return {
    source: 'shared',
    resolvedSource: 'shared',
    maxLength: embedder.info.maxTokens,
    inputs: embedder.info.inputs,
    outputs: embedder.info.outputs,
    poolings,
    files: [],
    versions: {},
    opset: 17,
    texts: rows,
  };
}

test('the proof passes on agreeing vectors and fails, naming the check, on each kind of disagreement', async () => {
  const embedder = await testEmbedder();
  const good = await referenceFromSharedModel();
  const passed = await proveExport(good, PROOF_TEXTS, embedder, embedder);
  assert.equal(passed.passed, true, passed.failures.join('; '));
  assert.equal(passed.fp32.mean?.minCosine.toFixed(9), '1.000000000');

  const chinese = PROOF_TEXTS.findIndex((p) => p.label === 'chinese');
  const spoilt = structuredClone(good);
  // A cosine just under 1: close, but not the export's 0.99999.
  spoilt.texts[chinese].mean = spoilt.texts[chinese].mean!.map((x, i) => x + (i % 2 === 0 ? 0.005 : -0.005));
  const wrongVector = await proveExport(spoilt, PROOF_TEXTS, embedder, embedder);
  assert.equal(wrongVector.passed, false);
  assert.equal(wrongVector.failures.length, 1);
  assert.match(wrongVector.failures[0], /^mean pooling: cosine to PyTorch 0\.999\d+ on "chinese", below 0\.99999$/);

  const otherIds = structuredClone(good);
  otherIds.texts[0].ids = [101, 102];
  otherIds.maxLength = 512;
  const wrongTokens = await proveExport(otherIds, PROOF_TEXTS, embedder, embedder);
  assert.deepEqual(wrongTokens.failures, ["embedline reads a limit of 256 tokens, PyTorch ran with 512", "token ids differ from transformers' for english"]);
});
