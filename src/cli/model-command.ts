// `embedline model inspect DIR`: what embedline reads from a model folder, and file checksums.
// The flags only: what the command does is in model-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { registerModelExportCommand } from './model-export-command.ts';
import { registerModelFetchCommand } from './model-fetch-command.ts';
import { action } from './run-command.ts';

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
      action(async (dir: string, flags: { quantized?: boolean; json?: boolean }) => (await import('./model-run.ts')).runModelInspect(dir, flags)),
    );
}
