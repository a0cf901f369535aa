// Point ids are derived, never random: re-running an ingest or redoing a job writes the same ids,
// so a retry can never duplicate a point.
import { v5 as uuidv5 } from 'uuid';

/** embedline's own UUIDv5 namespace: fixed forever, or every stored id would change. */
const NAMESPACE = 'ece937f2-3f23-4f96-942b-6bd7a6d2d7e2';

export function pointId(collection: string, documentId: string, chunkIndex: number): string {
  return uuidv5(JSON.stringify([collection, documentId, chunkIndex]), NAMESPACE);
}
