// A worker embeds only with the model the collection was built with.
import type { CollectionSpec } from '../contracts/collection-spec.ts';
import type { ModelInfo } from '../embed/model-info.ts';
import { reindexAdvice, shortChecksum } from '../contracts/model-mismatch.ts';
import { EmbedlineError } from '../errors.ts';

export function assertWorkerCanEmbed(info: ModelInfo, spec: CollectionSpec, collection: string): void {
  if (info.checksum !== spec.modelChecksum || info.dims !== spec.dims) {
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${collection}" is built with model ${spec.model} (${shortChecksum(spec.modelChecksum)}, ${spec.dims} dims) but this worker runs ${info.name} (${info.onnxPath}, ${shortChecksum(info.checksum)}, ${info.dims} dims); start the worker with that model (--model / EMBEDLINE_MODEL, --quantized), or ${reindexAdvice(collection)}`,
    );
  }
}
