// The flags every model-using command shares, and their parsing: cheap to import, for --help and usage
// errors. How they turn into a loaded embedder is model-loading.ts, loaded when a command runs.
import type { Command } from 'commander';
import { EmbedlineError } from '../errors.ts';
import { parseDevice, requireDevice, type Device } from '../embed/device.ts';
import { parsePooling, type Pooling } from '../embed/pooling.ts';
import { DEFAULT_MODEL_ID, parseModelName } from '../hub/model-name.ts';
import { startupConfig } from './startup-config.ts';

export interface ModelFlags {
  model?: string;
  quantized?: boolean;
  threads?: string;
  pooling?: string;
  device?: string;
}

export function addModelOptions(command: Command, { pooling = true } = {}): Command {
  command
    .option('--model <dir-or-id>', `model folder or Hugging Face Hub id org/name[@revision] (default: $EMBEDLINE_MODEL or ${DEFAULT_MODEL_ID})`)
    .option('--quantized', 'use the int8 graph (model_int8.onnx, onnx/model_quantized.onnx…) instead of the fp32 one')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: $EMBEDLINE_THREADS or all cores)');
  addDeviceOption(command);
  if (pooling) command.option('--pooling <kind>', "cls | mean | max | pooler (default: the model's own)");
  return command;
}

/** --device, for every command that loads a model (the search-side commands add it alone). */
export function addDeviceOption(command: Command): Command {
  return command.option('--device <device>', 'cpu | cuda: onnxruntime execution provider (default: $EMBEDLINE_DEVICE or cpu; cuda needs its provider files, docs/gpu.md)');
}

export function poolingFlag(flags: ModelFlags): Pooling | undefined {
  return flags.pooling === undefined ? undefined : parsePooling(flags.pooling);
}

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new EmbedlineError('CONFIG_INVALID', `${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new EmbedlineError('CONFIG_INVALID', `${flag} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

/** --threads, else EMBEDLINE_THREADS (both: threads in all), else undefined (the embedder's default). */
export function threadsFlag(flags: { threads?: string }): number | undefined {
  return flags.threads === undefined ? startupConfig().inference.threads : positiveInt(flags.threads, '--threads');
}

/**
 * --device, else EMBEDLINE_DEVICE, else undefined (cpu). A device this machine cannot run is
 * refused here, when the command starts (before a source is read or Redis is asked), in one line.
 */
export function deviceFlag(flags: { device?: string }): Device | undefined {
  const device = flags.device === undefined ? startupConfig().inference.device : parseDevice(flags.device);
  if (device !== undefined) requireDevice(device);
  return device;
}

/**
 * The model a command uses, as named: --model, else EMBEDLINE_MODEL, else the default Hub id; a
 * folder made absolute, a Hub id as given (resolved, and fetched if need be, when it loads).
 */
export function modelDirFlag(flag: string | undefined): string {
  const given = flag ?? startupConfig().modelDir ?? DEFAULT_MODEL_ID;
  const name = parseModelName(given);
  return name.kind === 'folder' ? name.dir : given;
}
