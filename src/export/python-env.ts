// The Python virtual environment model export runs in: built on first use from the requirements
// files shipped in python/export (torch alone first, at its exact CPU version, then the rest), and
// reused while it is complete. Complete means its stamp file names the sha256 of those
// requirements: the stamp is written last, so a build that was stopped half-way is built again,
// and changed requirements build a new environment. Missing Python or venv is one line that says
// what to install.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportPythonConfig } from '../config.ts';
import { EmbedlineError } from '../errors.ts';
import { failureLine, ProcessStartError, runProcess } from './python-process.ts';

/** python/export beside src/ (or dist/): the scripts and requirements ship with the package. */
export const PYTHON_EXPORT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'python', 'export');

/** Installed in this order, each by its own pip run: torch first, so nothing else can pick a CUDA build. */
const REQUIREMENT_FILES = ['requirements-torch.txt', 'requirements.txt'] as const;
const STAMP_FILE = 'embedline-export-env.json';

export type Progress = (line: string) => void;

export interface PythonEnv {
  dir: string;
  python: string;
  /** sha256 of the requirements files it was built from. */
  requirementsSha256: string;
}

/** The export environment's requirements files, as paths, in install order. */
export const EXPORT_REQUIREMENTS: readonly string[] = REQUIREMENT_FILES.map((file) => join(PYTHON_EXPORT_DIR, file));

export function requirementsSha256(files: readonly string[] = EXPORT_REQUIREMENTS): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file));
  return hash.digest('hex');
}

function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

function isComplete(dir: string, sha256: string): boolean {
  if (!existsSync(venvPython(dir))) return false;
  try {
    return (JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as { requirementsSha256?: string }).requirementsSha256 === sha256;
  } catch {
    return false;
  }
}

function exportError(message: string): EmbedlineError {
  return new EmbedlineError('EXPORT_FAILED', message);
}

async function createVenv(config: ExportPythonConfig, progress: Progress): Promise<void> {
  progress(`creating the Python environment in ${config.venvDir} (${config.python} -m venv)`);
  let result;
  try {
    result = await runProcess(config.python, ['-m', 'venv', config.venvDir]);
  } catch (err) {
    if (err instanceof ProcessStartError) {
      throw exportError(
        `model export needs Python 3.9+ with its venv module, and ${config.python} could not be run (${err.errno}): install Python 3 or set EMBEDLINE_PYTHON to one`,
      );
    }
    throw err;
  }
  if (result.code !== 0) {
    const text = result.tail.join('\n');
    if (/ensurepip|No module named venv/i.test(text)) {
      throw exportError(`${config.python} has no working venv module, which model export needs: install it (Debian/Ubuntu: apt-get install python3-venv)`);
    }
    throw exportError(`${config.python} -m venv ${config.venvDir} failed: ${failureLine(result)}`);
  }
}

/** Clears an incomplete or outdated environment; never a folder that is not one (a mistyped EMBEDLINE_EXPORT_VENV). */
function removeOldEnv(dir: string): void {
  if (!existsSync(dir)) return;
  if (readdirSync(dir).length > 0 && !existsSync(join(dir, 'pyvenv.cfg'))) {
    throw exportError(`${dir} exists and is not a Python virtual environment: set EMBEDLINE_EXPORT_VENV to a new or empty folder`);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** pip's lines worth showing while it works: what it fetches and installs, and its errors. */
const PIP_PROGRESS = /^(Collecting|Installing collected|Successfully installed|ERROR)/;

async function pipInstall(python: string, file: string, progress: Progress): Promise<void> {
  progress(`installing ${file}`);
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '-r', file];
  const result = await runProcess(python, args, (line) => {
    if (PIP_PROGRESS.test(line)) progress(`  pip: ${line}`);
  });
  if (result.code !== 0) throw exportError(`pip could not install ${file} into the export environment: ${failureLine(result, /^ERROR/)}`);
}

/**
 * The export environment, built first when it is missing, incomplete or from other requirements.
 * Tests build other environments the same way from other requirements files (absolute paths).
 */
export async function ensurePythonEnv(config: ExportPythonConfig, progress: Progress, requirements: readonly string[] = EXPORT_REQUIREMENTS): Promise<PythonEnv> {
  const sha256 = requirementsSha256(requirements);
  const dir = config.venvDir;
  const env = { dir, python: venvPython(dir), requirementsSha256: sha256 };
  if (isComplete(dir, sha256)) {
    progress(`using the Python environment in ${dir}`);
    return env;
  }
  const started = Date.now();
  removeOldEnv(dir);
  await createVenv(config, progress);
  for (const file of requirements) await pipInstall(env.python, file, progress);
  writeFileSync(join(dir, STAMP_FILE), `${JSON.stringify({ requirementsSha256: sha256, builtAt: new Date().toISOString() })}\n`);
  progress(`Python environment ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return env;
}
