// A worker embeds only with the model the collection was built with.
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { ModelInfo } from '../embed/model-info.ts';
import { EmbedlineError } from '../errors.ts';

export function assertWorkerCanEmbed(info: ModelInfo, spec: CollectionSpec, collection: string): void {
  if (info.checksum !== spec.modelChecksum || info.dims !== spec.dims) {
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${collection}" is built with model ${spec.model} (sha256 ${spec.modelChecksum.slice(0, 12)}…, ${spec.dims} dims) but this worker runs ${info.name} (${info.onnxPath}, sha256 ${info.checksum.slice(0, 12)}…, ${info.dims} dims); start the worker with that model (--model / EMBEDLINE_MODEL, --quantized)`,
    );
  }
}
