// What `embedline model inspect` does once its flags are parsed (model-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../hub/resolve-model.ts';
import { sha256File } from '../embed/model-info.ts';
import { startupConfig } from './startup-config.ts';

async function checksums(dir: string): Promise<Record<string, string>> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const entries = await Promise.all(files.map(async (f) => [f, await sha256File(join(dir, f))] as const));
  return Object.fromEntries(entries);
}

export async function runModelInspect(dir: string, flags: { quantized?: boolean; json?: boolean }): Promise<void> {
  const embedder = await loadModel(dir, startupConfig().hub, { quantized: flags.quantized, threads: 1 });
  const report = { ...embedder.info, files: await checksums(embedder.info.dir) };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const i = embedder.info;
  const lines = [
    `model       ${i.name} (${i.dir})`,
    `graph       ${i.onnxPath}${i.quantized ? ' (int8)' : ''}`,
    `inputs      ${i.inputs.join(', ')}`,
    `outputs     ${i.outputs.join(', ')}`,
    `dims        ${i.dims}`,
    `max tokens  ${i.maxTokens} (special tokens included)`,
    `pooling     ${i.defaultPooling} (default)`,
    `normalize   ${i.normalize ? 'yes (L2)' : 'no'}`,
    'sha256',
    ...Object.entries(report.files).map(([f, h]) => `  ${h}  ${f}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

}
