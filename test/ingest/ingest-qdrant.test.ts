// The main job end to end with QDRANT_URL set, against the Qdrant stand-in (every request checked
// against Qdrant's OpenAPI document, data in Qdrant Edge). No real Qdrant server runs here.
import { startQdrantStandin } from '../support/qdrant-standin.ts';
import { runIngestFlow } from './ingest-flow.ts';

runIngestFlow('qdrant', async () => {
  const standin = await startQdrantStandin();
  return { env: { QDRANT_URL: standin.url }, stop: () => standin.stop() };
});
