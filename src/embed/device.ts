// The execution device inference runs on, as onnxruntime-node's execution provider. CPU is the
// default and always there. CUDA exists only on Linux x64, and only once its provider files have
// been installed beside onnxruntime-node's binary (docs/gpu.md): asking for it without them is
// refused before any session starts, in one line naming the install command, never a quiet fall
// back to CPU (a run meant for the GPU would take hours on the CPU without saying why).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EmbedlineError } from '../errors.ts';

export const DEVICES = ['cpu', 'cuda'] as const;
export type Device = (typeof DEVICES)[number];

/** CUDA's provider library as onnxruntime-node's installer puts it beside the binding (Linux x64). */
const CUDA_PROVIDER_FILE = 'libonnxruntime_providers_cuda.so';
export const CUDA_INSTALL_COMMAND = 'ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install';

/** The folder onnxruntime-node loads its native binding (and provider libraries) from, on this platform. */
export function onnxruntimeBinaryDir(): string {
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')));
  return join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
}

export function parseDevice(value: string, what = '--device'): Device {
  if ((DEVICES as readonly string[]).includes(value)) return value as Device;
  throw new EmbedlineError('CONFIG_INVALID', `${what} must be one of ${DEVICES.join(', ')}, got "${value}"`);
}

/** onnxruntime's executionProviders for a device: that provider alone, so a missing one fails instead of falling back. */
export function executionProviders(device: Device): string[] {
  switch (device) {
    case 'cpu':
      return ['cpu'];
    case 'cuda':
      return ['cuda'];
    default: {
      const unreachable: never = device;
      throw new EmbedlineError('CONFIG_INVALID', `unknown device ${String(unreachable)}`);
    }
  }
}

/** Refuses, in one line, a device whose provider this machine does not have. */
export function requireDevice(device: Device, binaryDir = onnxruntimeBinaryDir(), platform = `${process.platform}-${process.arch}`): void {
  switch (device) {
    case 'cpu':
      return;
    case 'cuda':
      if (platform !== 'linux-x64') {
        throw new EmbedlineError('CONFIG_INVALID', `device cuda: onnxruntime-node offers CUDA on Linux x64 only, not on ${platform} (see docs/gpu.md)`);
      }
      if (!existsSync(join(binaryDir, CUDA_PROVIDER_FILE))) {
        throw new EmbedlineError(
          'CONFIG_INVALID',
          `device cuda: onnxruntime-node's CUDA provider files are not installed (no ${CUDA_PROVIDER_FILE} in ${binaryDir}); install them with \`${CUDA_INSTALL_COMMAND}\` (docs/gpu.md), or use --device cpu`,
        );
      }
      return;
    default: {
      const unreachable: never = device;
      throw new EmbedlineError('CONFIG_INVALID', `unknown device ${String(unreachable)}`);
    }
  }
}
