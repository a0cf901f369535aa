// `embedline model fetch REPO_ID[@REVISION] [--quantized]`: downloads what embedding needs of a
// Hub model into the standard Hugging Face cache (src/hub/fetch-model.ts), with progress, and
// prints where it is. A model already there, intact, is not downloaded again.
import type { Command } from 'commander';
import { EmbedlineError } from '../errors.ts';
import { fetchModel } from '../hub/fetch-model.ts';
import { hubIdText, parseHubId } from '../hub/model-name.ts';
import { downloadProgress, formatMegabytes } from './download-progress.ts';
import { action } from './run-command.ts';
import { startupConfig } from './startup-config.ts';

export function registerModelFetchCommand(model: Command): void {
  model
    .command('fetch <repo-id>')
    .description('download a Hugging Face Hub model (org/name[@revision]) into the Hugging Face cache: configs, tokenizer and one ONNX graph, checked')
    .option('--quantized', 'fetch the int8 graph (onnx/model_quantized.onnx, onnx/model_qint8_avx512_vnni.onnx…) instead of the fp32 one')
    .option('--json', 'print JSON')
    .action(
      action(async (repoId: string, flags: { quantized?: boolean; json?: boolean }) => {
        const id = parseHubId(repoId);
        if (!id) throw new EmbedlineError('INPUT_INVALID', `"${repoId}" is not a Hub id: expected org/name or org/name@revision`);
        const { hub } = startupConfig();
        if (hub.offline) throw new EmbedlineError('CONFIG_INVALID', `HF_HUB_OFFLINE is set, so ${hubIdText(id)} cannot be fetched: unset it where ${hub.endpoint} is reachable`);
        const result = await fetchModel(id, hub, { quantized: flags.quantized, onProgress: downloadProgress() });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const downloaded = result.files.filter((file) => file.downloaded);
        const bytes = downloaded.reduce((sum, file) => sum + file.size, 0);
        const state = downloaded.length === 0 ? 'already in the cache, intact: nothing downloaded' : `downloaded ${downloaded.length} of ${result.files.length} files (${formatMegabytes(bytes)})`;
        process.stdout.write(`${result.repo}@${result.commit}: ${state}\n${result.dir}\n`);
      }),
    );
}
