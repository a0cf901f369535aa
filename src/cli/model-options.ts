// The flags every model-using command shares, and how they turn into a loaded embedder.
import type { Command } from 'commander';
import { loadChosenModel, type ModelChoice } from '../core/model-choice.ts';
import { EmbedlineError } from '../errors.ts';
import type { Embedder } from '../embed/embedder.ts';
import { resolveModelDir } from '../embed/model-files.ts';
import { parsePooling, type Pooling } from '../embed/pooling.ts';
import { startupConfig } from './startup-config.ts';

export interface ModelFlags {
  model?: string;
  quantized?: boolean;
  threads?: string;
  pooling?: string;
}

export function addModelOptions(command: Command, { pooling = true } = {}): Command {
  command
    .option('--model <dir>', 'model folder (default: $EMBEDLINE_MODEL or ../shared/models/all-MiniLM-L6-v2)')
    .option('--quantized', 'use model_int8.onnx instead of model.onnx')
    .option('--threads <n>', 'onnxruntime intra-op threads (default: $EMBEDLINE_THREADS or all cores)');
  if (pooling) command.option('--pooling <kind>', "cls | mean | max | pooler (default: the model's own)");
  return command;
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

/** The model folder a command uses: --model, else EMBEDLINE_MODEL, else the default. */
export function modelDirFlag(flag: string | undefined): string {
  return resolveModelDir(flag ?? startupConfig().modelDir);
}

/** The model a run's plan names, with the inference settings of the environment; `dir` is the already resolved folder (ctx.modelDir). */
export function modelChoiceFromFlags(flags: ModelFlags, dir: string): ModelChoice {
  return { ...startupConfig().inference, dir, quantized: flags.quantized, threads: threadsFlag(flags) };
}

export async function embedderFromFlags(flags: ModelFlags): Promise<Embedder> {
  return loadChosenModel(modelChoiceFromFlags(flags, modelDirFlag(flags.model)));
}
