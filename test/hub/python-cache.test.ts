// One cache for both languages: a model that Python's huggingface_hub downloaded (from the same
// local Hub stand-in) is loaded by embedline with HF_HUB_OFFLINE=1 and no request to the Hub, and
// a model embedline fetched is found by huggingface_hub offline, at the same snapshot, and listed
// clean by its cache scanner. Python runs from the test venv (.venv, test/support/requirements.txt).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { PROJECT_ROOT, runCli } from '../support/run-cli.ts';
import { miniLmHubFiles, startFakeHub, type FakeHub } from '../support/fake-hub.ts';

const REPO = 'sentence-transformers/all-MiniLM-L6-v2';
const PYTHON = join(PROJECT_ROOT, '.venv', 'bin', 'python');
/** What embedline fetches of the repo, as Python is asked to download it. */
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json', 'onnx/model.onnx'];
const iso = isolatedEnv('hf-cache');
const work = join(iso.dir, 'work');
let hub: FakeHub;

/** Both tools with one cache folder and nothing else set; cwd without ../shared, so only the cache can answer. */
function cacheEnv(cache: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { EMBEDLINE_MODEL: '', EMBEDLINE_MODELS_DIR: '', HF_HOME: '', HF_TOKEN: '', HF_HUB_OFFLINE: '', HOME: join(iso.dir, 'home'), HF_HUB_CACHE: cache, HF_ENDPOINT: hub.url, HF_HUB_DISABLE_TELEMETRY: '1', ...extra };
}

async function python(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', code], { cwd: work, env: { ...process.env, ...env }, timeout: 120_000 });
  return stdout.trim();
}

before(async () => {
  mkdirSync(work, { recursive: true });
  const weights = join(iso.dir, 'model.safetensors');
  writeFileSync(weights, Buffer.alloc(1000, 1));
  hub = await startFakeHub({ [REPO]: miniLmHubFiles(MODEL_DIR, weights) });
});

after(async () => {
  await hub?.close();
  await iso.cleanup();
});

test("a cache written by Python's huggingface_hub is used by embedline offline", async () => {
  const cache = join(iso.dir, 'python-cache');
  const snapshot = await python(
    `from huggingface_hub import snapshot_download\nprint(snapshot_download(${JSON.stringify(REPO)}, allow_patterns=${JSON.stringify(FILES)}))`,
    cacheEnv(cache),
  );
  assert.equal(snapshot, join(cache, 'models--sentence-transformers--all-MiniLM-L6-v2', 'snapshots', hub.commitOf(REPO)));
  const seen = hub.requests.length;
  const inspect = await runCli(['model', 'inspect', REPO, '--json'], { cwd: work, env: cacheEnv(cache, { HF_HUB_OFFLINE: '1' }), timeoutMs: 120_000 });
  assert.equal(inspect.code, 0, inspect.stderr);
  const info = JSON.parse(inspect.stdout) as { dir: string; onnxFile: string; source: { repo: string; revision: string } };
  assert.equal(info.dir, snapshot);
  assert.equal(info.onnxFile, 'onnx/model.onnx');
  assert.deepEqual(info.source, { repo: REPO, revision: hub.commitOf(REPO) });
  assert.deepEqual(hub.requests.slice(seen), [], 'offline: no request');
});

test("a cache written by embedline is used by Python's huggingface_hub offline", async () => {
  const cache = join(iso.dir, 'embedline-cache');
  const fetch = await runCli(['model', 'fetch', REPO, '--json'], { cwd: work, env: cacheEnv(cache), timeoutMs: 120_000 });
  assert.equal(fetch.code, 0, fetch.stderr);
  const fetched = JSON.parse(fetch.stdout) as { dir: string };
  const report = await python(
    [
      'import hashlib, json',
      'from huggingface_hub import hf_hub_download, scan_cache_dir',
      `graph = hf_hub_download(${JSON.stringify(REPO)}, "onnx/model.onnx")`,
      `config = hf_hub_download(${JSON.stringify(REPO)}, "1_Pooling/config.json")`,
      'scan = scan_cache_dir()',
      'repo = next(iter(scan.repos))',
      'print(json.dumps({"graph": graph, "config": config, "sha256": hashlib.sha256(open(graph, "rb").read()).hexdigest(), "warnings": [str(w) for w in scan.warnings], "repo": repo.repo_id, "files": repo.nb_files, "refs": sorted(r for rev in repo.revisions for r in rev.refs)}))',
    ].join('\n'),
    cacheEnv(cache, { HF_HUB_OFFLINE: '1' }),
  );
  const seen = JSON.parse(report) as { graph: string; config: string; sha256: string; warnings: string[]; repo: string; files: number; refs: string[] };
  assert.equal(seen.graph, join(fetched.dir, 'onnx', 'model.onnx'));
  assert.equal(seen.config, join(fetched.dir, '1_Pooling', 'config.json'));
  assert.equal(seen.sha256, createHash('sha256').update(readFileSync(join(MODEL_DIR, 'model.onnx'))).digest('hex'));
  assert.deepEqual(seen.warnings, []);
  assert.equal(seen.repo, REPO);
  assert.equal(seen.files, FILES.length);
  assert.deepEqual(seen.refs, ['main']);
});
