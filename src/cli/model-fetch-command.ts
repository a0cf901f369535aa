// `embedline model fetch REPO_ID[@REVISION] [--quantized]`: downloads what embedding needs of a
// Hub model into the standard Hugging Face cache (src/hub/fetch-model.ts), with progress, and
// prints where it is. A model already there, intact, is not downloaded again.
// The flags only: what the command does is in model-fetch-run.ts, loaded when it runs.
import type { Command } from 'commander';
import { action } from './run-command.ts';

export function registerModelFetchCommand(model: Command): void {
  model
    .command('fetch <repo-id>')
    .description('download a Hugging Face Hub model (org/name[@revision]) into the Hugging Face cache: configs, tokenizer and one ONNX graph, checked')
    .option('--quantized', 'fetch the int8 graph (onnx/model_quantized.onnx, onnx/model_qint8_avx512_vnni.onnx…) instead of the fp32 one')
    .option('--json', 'print JSON')
    .action(
      action(async (repoId: string, flags: { quantized?: boolean; json?: boolean }) => (await import('./model-fetch-run.ts')).runModelFetch(repoId, flags)),
    );
}
