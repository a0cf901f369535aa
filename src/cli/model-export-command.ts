// `embedline model export SOURCE --out DIR`: a PyTorch / safetensors checkpoint (a folder or a Hub
// id) to a model folder embedline loads, proven against PyTorch (src/export/export-model.ts).
// Progress lines go to stderr as the work goes; the summary (or --json, the report) to stdout.
// The flags only: what the command does is in model-export-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';

export function registerModelExportCommand(model: Command): void {
  model
    .command('export <source>')
    .description('export a PyTorch / safetensors checkpoint (folder or Hub id org/name[@revision]) to an ONNX model folder, proven against PyTorch')
    .requiredOption('--out <dir>', 'the model folder to write')
    .option('--force', 'replace --out when it exists and is not empty')
    .option('--json', 'print the export report as JSON')
    .action(
      action(async (source: string, flags: { out: string; force?: boolean; json?: boolean }) => (await import('./model-export-run.ts')).runModelExport(source, flags)),
    );
}
