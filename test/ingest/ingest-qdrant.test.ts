// The main job end to end with QDRANT_URL set, against the Qdrant stand-in (every request checked
// against Qdrant's OpenAPI document, data in Qdrant Edge) in strict mode, as Qdrant Cloud runs by
// default: every filter the flow uses must be served by a payload index. No real Qdrant runs here.
import { startQdrantStandin } from '../support/qdrant-standin.ts';
import { runIngestFlow } from './ingest-flow.ts';

runIngestFlow('qdrant', async () => {
  const standin = await startQdrantStandin({ strictMode: true });
  return { env: { QDRANT_URL: standin.url }, stop: () => standin.stop() };
});
