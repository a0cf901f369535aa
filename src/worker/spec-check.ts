// A worker embeds only with the model the collection was built with, and writes only into the
// collection as the job's producer found it. It never creates one: the ingest run that queued the
// job did (src/core/run-ingest.ts is the one owner of ensureCollection).
import { modelSourceName, specDifferences, specMismatchMessage, type CollectionSpec } from '../contracts/collection-spec.ts';
import { INT8_GRAPHS } from '../embed/model-files.ts';
import type { ModelInfo } from '../embed/model-info.ts';
import { reindexAdvice, shortChecksum } from '../contracts/model-mismatch.ts';
import { EmbedlineError } from '../errors.ts';
import type { VectorStore } from '../store/vector-store.ts';

export function assertWorkerCanEmbed(info: ModelInfo, spec: CollectionSpec, collection: string): void {
  if (info.checksum !== spec.modelChecksum || info.dims !== spec.dims) {
    throw new EmbedlineError(
      'COLLECTION_MISMATCH',
      `collection "${collection}" is built with model ${spec.model} (${shortChecksum(spec.modelChecksum)}, ${spec.dims} dims) but this worker runs ${info.name} (${info.onnxPath}, ${shortChecksum(info.checksum)}, ${info.dims} dims); start the worker with that model (${workerModelFlags(spec)}), or ${reindexAdvice(collection)}`,
    );
  }
}

/** The flags that start a worker with the collection's model: its Hub id and commit when recorded (fetched if need be). */
function workerModelFlags(spec: CollectionSpec): string {
  if (!spec.modelSource) return '--model / EMBEDLINE_MODEL, --quantized';
  const quantized = INT8_GRAPHS.includes(spec.modelSource.file) ? ' --quantized' : '';
  return `--model ${modelSourceName(spec.modelSource)}${quantized}`;
}

/**
 * The job's collection exists with the spec the job was queued for: a job must not bring back a
 * collection dropped since it was queued, nor write vectors into a version built differently (a
 * reindex moved the name after the job was queued). Read-only: one describe per collection.
 */
export async function assertCollectionTakes(store: VectorStore, collection: string, spec: CollectionSpec): Promise<void> {
  const info = await store.describe(collection);
  if (!info) {
    throw new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist (dropped after this job was queued?); run the ingest again`, {
      details: { collection },
    });
  }
  const differences = specDifferences(info.spec, spec);
  if (differences.length > 0) {
    throw new EmbedlineError('COLLECTION_MISMATCH', specMismatchMessage(collection, info.spec, spec), { details: { collection, differences } });
  }
}
