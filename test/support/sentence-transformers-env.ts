// A Python venv with sentence-transformers, the reference the prompt parity test compares with
// (its encode(prompt_name=…)). Built like the export venv (src/export/python-env.ts: torch==2.13.0
// CPU first, then exact pins) but beside it, from requirements-sentence-transformers.txt here:
// that sentence-transformers needs transformers 5, and the exporter stays on its pinned 4.46.3.
// Built once (about a minute and a half) and reused while its requirements are unchanged.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { ensurePythonEnv, PYTHON_EXPORT_DIR, type PythonEnv } from '../../src/export/python-env.ts';

const REQUIREMENTS = [join(PYTHON_EXPORT_DIR, 'requirements-torch.txt'), fileURLToPath(new URL('./requirements-sentence-transformers.txt', import.meta.url))];

let built: Promise<PythonEnv> | undefined;

/** The sentence-transformers venv, built now unless the same requirements built it before. */
export function sentenceTransformersEnv(): Promise<PythonEnv> {
  const config = loadConfig().exportPython;
  built ??= ensurePythonEnv({ ...config, venvDir: join(dirname(config.venvDir), 'test-st-venv') }, (line) => process.stderr.write(`st-venv: ${line}\n`), REQUIREMENTS);
  return built;
}
