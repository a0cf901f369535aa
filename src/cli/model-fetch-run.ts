// What `embedline model fetch` does once its flags are parsed (model-fetch-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { EmbedlineError } from '../errors.ts';
import { fetchModel } from '../hub/fetch-model.ts';
import { hubIdText, parseHubId } from '../hub/model-name.ts';
import { downloadProgress, formatMegabytes } from './download-progress.ts';
import { startupConfig } from './startup-config.ts';

export async function runModelFetch(repoId: string, flags: { quantized?: boolean; json?: boolean }): Promise<void> {
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

}
