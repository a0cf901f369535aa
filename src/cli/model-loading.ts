// How the model flags (model-options.ts) turn into a model choice and a loaded embedder. Kept apart
// from the flags because it loads the model code (onnxruntime, tokenizers, the Hub client), which only
// a command that runs needs, not --help or a usage error.
import { loadChosenModel, type ModelChoice } from '../core/model-choice.ts';
import type { Embedder } from '../embed/embedder.ts';
import { downloadProgress } from './download-progress.ts';
import { deviceFlag, modelDirFlag, threadsFlag, type ModelFlags } from './model-options.ts';
import { startupConfig } from './startup-config.ts';

/** The model a run's plan names (ctx.modelDir's answer), with the inference and Hub settings of the environment. */
export function modelChoiceFromFlags(flags: ModelFlags, name: string): ModelChoice {
  const config = startupConfig();
  return { ...config.inference, name, hub: config.hub, onDownload: downloadProgress(), quantized: flags.quantized, threads: threadsFlag(flags), device: deviceFlag(flags) };
}

export async function embedderFromFlags(flags: ModelFlags): Promise<Embedder> {
  return loadChosenModel(modelChoiceFromFlags(flags, modelDirFlag(flags.model)));
}
