// `embedline model export`: a PyTorch / safetensors checkpoint (a folder or a Hub id) becomes a
// model folder embedline loads, proven on the built-in texts before it is put in place. The Python
// side (python/export/export_model.py, in the environment of python-env.ts) writes the graph, the
// int8 file, tokenizer and configs into a staging folder beside the target, with PyTorch's
// reference vectors; this side loads the staged folder with embedline's own embedder, compares,
// writes export-report.json into it and only then renames it to the target. A failed export or
// proof leaves the target as it was.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { ExportPythonConfig } from '../config.ts';
import { loadEmbedder } from '../embed/embedder.ts';
import { sha256File } from '../embed/model-info.ts';
import { EmbedlineError } from '../errors.ts';
import { proveExport, type ExportProof, type PytorchReference } from './export-proof.ts';
import { PROOF_TEXTS } from './proof-texts.ts';
import { ensurePythonEnv, PYTHON_EXPORT_DIR, type Progress } from './python-env.ts';
import { failureLine, runProcess } from './python-process.ts';

export const REPORT_FILE = 'export-report.json';

export interface ExportOptions {
  /** A checkpoint folder or a Hub id `org/name[@revision]`. */
  source: string;
  /** The model folder to write. */
  out: string;
  /** Replace an existing, non-empty `out`. */
  force?: boolean;
  python: ExportPythonConfig;
  /** onnxruntime threads for the proof. */
  threads?: number;
  progress: Progress;
}

export interface ExportReport {
  source: string;
  resolvedSource: string;
  out: string;
  exportedAt: string;
  seconds: number;
  modelType?: string;
  inputs: string[];
  outputs: string[];
  opset: number;
  /** Versions of Python and its packages that made the files. */
  versions: Record<string, string>;
  pythonEnv: string;
  files: string[];
  sha256: Record<string, string>;
  defaultPooling: string;
  normalize: boolean;
  proof: ExportProof;
}

function exportError(message: string): EmbedlineError {
  return new EmbedlineError('EXPORT_FAILED', message);
}

function checkTarget(source: string, out: string, force: boolean): void {
  const sourceDir = resolve(source);
  if (existsSync(sourceDir) && (sourceDir === out || sourceDir.startsWith(`${out}${sep}`))) {
    throw exportError(`--out ${out} holds the checkpoint being exported: name another folder`);
  }
  if (existsSync(out) && !statSync(out).isDirectory()) throw exportError(`${out} exists and is not a folder: name a folder for the model`);
  if (existsSync(out) && readdirSync(out).length > 0 && !force) {
    throw exportError(`${out} exists and is not empty: name a new folder, or pass --force to replace it`);
  }
}

async function runExportScript(python: string, options: ExportOptions, staging: string, work: string): Promise<PytorchReference> {
  const textsPath = join(work, 'texts.json');
  const referencePath = join(work, 'reference.json');
  writeFileSync(textsPath, JSON.stringify(PROOF_TEXTS.map((t) => t.text)));
  const script = join(PYTHON_EXPORT_DIR, 'export_model.py');
  const result = await runProcess(python, [script, options.source, '--out', staging, '--texts', textsPath, '--reference', referencePath], (line) => {
    if (line.startsWith('export: ')) options.progress(line.slice('export: '.length));
  });
  if (result.code !== 0) {
    const reason = result.tail.find((line) => line.startsWith('export failed: '))?.slice('export failed: '.length) ?? failureLine(result);
    throw exportError(`export of ${options.source} failed: ${reason}`);
  }
  return JSON.parse(readFileSync(referencePath, 'utf8')) as PytorchReference;
}

async function proveStaged(staging: string, reference: PytorchReference, options: ExportOptions): Promise<{ proof: ExportProof; defaultPooling: string; normalize: boolean }> {
  options.progress(`proving the export: embedline vs PyTorch on ${PROOF_TEXTS.length} built-in texts, poolings ${reference.poolings.join(', ')}`);
  const load = { threads: options.threads ?? 1, sessions: 1 };
  const fp32 = await loadEmbedder(staging, load);
  const int8 = await loadEmbedder(staging, { ...load, quantized: true });
  const proof = await proveExport(reference, PROOF_TEXTS, fp32, int8);
  return { proof, defaultPooling: fp32.info.defaultPooling, normalize: fp32.info.normalize };
}

/** Moves the proven staging folder to `out` (replacing what was there only when forced). */
function putInPlace(staging: string, out: string): void {
  if (existsSync(out)) rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
}

export async function exportModel(options: ExportOptions): Promise<ExportReport> {
  const started = Date.now();
  const out = resolve(options.out);
  checkTarget(options.source, out, options.force ?? false);
  const env = await ensurePythonEnv(options.python, options.progress);
  mkdirSync(dirname(out), { recursive: true });
  const staging = join(dirname(out), `.${basename(out)}.export-staging`);
  rmSync(staging, { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'embedline-export-'));
  try {
    const reference = await runExportScript(env.python, options, staging, work);
    const { proof, defaultPooling, normalize } = await proveStaged(staging, reference, options);
    const onnxFiles = reference.files.filter((f) => f.endsWith('.onnx'));
    const report: ExportReport = {
      source: reference.source,
      resolvedSource: reference.resolvedSource,
      out,
      exportedAt: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      modelType: reference.modelType,
      inputs: reference.inputs,
      outputs: reference.outputs,
      opset: reference.opset,
      versions: reference.versions,
      pythonEnv: env.dir,
      files: [...reference.files, REPORT_FILE],
      sha256: Object.fromEntries(await Promise.all(onnxFiles.map(async (f) => [f, await sha256File(join(staging, f))] as const))),
      defaultPooling,
      normalize,
      proof,
    };
    writeFileSync(join(staging, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    if (!proof.passed) {
      throw exportError(`the export of ${options.source} failed its proof: ${proof.failures[0]} (report: ${join(staging, REPORT_FILE)})`);
    }
    putInPlace(staging, out);
    return report;
  } catch (err) {
    // A failed proof keeps its staging folder (the report says why); any other failure removes it.
    if (!existsSync(join(staging, REPORT_FILE))) rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
