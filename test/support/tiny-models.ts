// Tiny random-weight encoders of every family embedline runs (BERT with and without pooler,
// XLM-RoBERTa with a Unigram tokenizer, MPNet, DistilBERT), made by tiny_models.py beside this file
// in the export venv and exported with `embedline model export`, for the model-family tests. No Hub:
// the WordPiece vocabulary is the shared MiniLM's vocab.txt, the Unigram one is trained on the
// export's proof texts. Made once and cached under the export venv's parent folder, keyed by
// everything that made them (the requirements, this maker, the export code), so a second run is
// seconds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.ts';
import { REPORT_FILE, type ExportReport } from '../../src/export/export-model.ts';
import { PROOF_TEXTS } from '../../src/export/proof-texts.ts';
import { ensurePythonEnv, PYTHON_EXPORT_DIR, requirementsSha256 } from '../../src/export/python-env.ts';
import { runProcess } from '../../src/export/python-process.ts';
import type { Pooling } from '../../src/embed/pooling.ts';
import { MODEL_DIR } from './model.ts';
import { PROJECT_ROOT, runCli } from './run-cli.ts';

export const FAMILIES = ['bert-pooler', 'bert-no-pooler', 'xlm-roberta', 'mpnet', 'distilbert'] as const;
export type Family = (typeof FAMILIES)[number];

/** What each family's graph must look like once exported. */
export const EXPECTED: Record<Family, { tokenTypeIds: boolean; pooler: boolean }> = {
  'bert-pooler': { tokenTypeIds: true, pooler: true },
  'bert-no-pooler': { tokenTypeIds: true, pooler: false },
  'xlm-roberta': { tokenTypeIds: false, pooler: true },
  mpnet: { tokenTypeIds: false, pooler: true },
  distilbert: { tokenTypeIds: false, pooler: false },
};

const MAKER = fileURLToPath(new URL('./tiny_models.py', import.meta.url));
const PYTHON_CONFIG = loadConfig().exportPython;
const CACHE_DIR = join(dirname(PYTHON_CONFIG.venvDir), 'test-tiny-models');

function progress(line: string): void {
  process.stderr.write(`tiny-models: ${line}\n`);
}

function makersKey(): string {
  const hash = createHash('sha256').update(requirementsSha256()).update(readFileSync(MAKER));
  const exportSrc = join(PROJECT_ROOT, 'src', 'export');
  for (const file of readdirSync(exportSrc).sort()) hash.update(file).update(readFileSync(join(exportSrc, file)));
  hash.update(readFileSync(join(PYTHON_EXPORT_DIR, 'export_model.py')));
  return hash.digest('hex').slice(0, 16);
}

export interface TinyModels {
  /** Checkpoint folder per family (transformers' save_pretrained). */
  checkpoints: Record<Family, string>;
  /** Exported model folder per family, with its export-report.json. */
  exported: Record<Family, string>;
  reports: Record<Family, ExportReport>;
  python: string;
}

async function build(): Promise<TinyModels> {
  const env = await ensurePythonEnv(PYTHON_CONFIG, progress);
  const root = join(CACHE_DIR, makersKey());
  const checkpoints = Object.fromEntries(FAMILIES.map((f) => [f, join(root, 'checkpoints', f)])) as Record<Family, string>;
  const exported = Object.fromEntries(FAMILIES.map((f) => [f, join(root, 'exported', f)])) as Record<Family, string>;
  if (!existsSync(join(root, 'complete'))) {
    // Models made by older code are stale: only the newest set is kept.
    if (existsSync(CACHE_DIR)) for (const old of readdirSync(CACHE_DIR)) rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
    const staging = `${root}.partial`;
    mkdirSync(staging, { recursive: true });
    const corpus = join(staging, 'corpus.json');
    writeFileSync(corpus, JSON.stringify(PROOF_TEXTS.map((t) => t.text)));
    progress(`making ${FAMILIES.join(', ')} in ${staging}`);
    const made = await runProcess(env.python, [MAKER, join(staging, 'checkpoints'), '--vocab', join(MODEL_DIR, 'vocab.txt'), '--corpus', corpus]);
    assert.equal(made.code, 0, made.tail.join('\n'));
    for (const family of FAMILIES) {
      progress(`exporting ${family}`);
      const result = await runCli(['model', 'export', join(staging, 'checkpoints', family), '--out', join(staging, 'exported', family), '--force', '--json'], { timeoutMs: 10 * 60_000 });
      assert.equal(result.code, 0, `${family}: ${result.stderr}`);
    }
    renameSync(staging, root);
    writeFileSync(join(root, 'complete'), '');
  }
  const reports = Object.fromEntries(FAMILIES.map((f) => [f, JSON.parse(readFileSync(join(exported[f], REPORT_FILE), 'utf8')) as ExportReport])) as Record<Family, ExportReport>;
  return { checkpoints, exported, reports, python: env.python };
}

let built: Promise<TinyModels> | undefined;

/** The tiny models, made and exported now unless the same code made them before. */
export function tinyModels(): Promise<TinyModels> {
  built ??= build();
  return built;
}

export type PytorchVectors = Array<Partial<Record<Pooling, number[]>>>;

/** PyTorch's unnormalised vectors of `texts` by one family's checkpoint, each text alone. */
export async function pytorchVectors(models: TinyModels, family: Family, texts: readonly string[], workDir: string): Promise<PytorchVectors> {
  const textsFile = join(workDir, `texts-${family}.json`);
  writeFileSync(textsFile, JSON.stringify(texts));
  let vectors = '';
  const result = await runProcess(models.python, [MAKER, '--reference', models.checkpoints[family], '--texts', textsFile], (line) => {
    if (line.startsWith('[')) vectors = line;
  });
  assert.equal(result.code, 0, result.tail.join('\n'));
  return JSON.parse(vectors) as PytorchVectors;
}
