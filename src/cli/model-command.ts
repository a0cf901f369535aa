// `embedline model inspect DIR`: what embedline reads from a model folder, and file checksums.
import type { Command } from 'commander';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../hub/resolve-model.ts';
import { sha256File } from '../embed/model-info.ts';
import { registerModelExportCommand } from './model-export-command.ts';
import { registerModelFetchCommand } from './model-fetch-command.ts';
import { action } from './run-command.ts';
import { startupConfig } from './startup-config.ts';

async function checksums(dir: string): Promise<Record<string, string>> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const entries = await Promise.all(files.map(async (f) => [f, await sha256File(join(dir, f))] as const));
  return Object.fromEntries(entries);
}

export function registerModelCommand(program: Command): void {
  const model = program.command('model').description('models: fetch from the Hugging Face Hub, export from PyTorch, inspect');
  registerModelExportCommand(model);
  registerModelFetchCommand(model);
  model
    .command('inspect <dir-or-id>')
    .description('inputs, outputs, dims, length limit, default pooling, normalisation, file checksums')
    .option('--quantized', 'inspect the int8 graph instead of the fp32 one')
    .option('--json', 'print JSON')
    .action(
      action(async (dir: string, flags: { quantized?: boolean; json?: boolean }) => {
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
      }),
    );
}
