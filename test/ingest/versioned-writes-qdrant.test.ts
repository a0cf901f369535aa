// Versioned writes with QDRANT_URL pointing at the Qdrant stand-in in strict mode (Qdrant
// Cloud's default): the same scenarios as versioned-writes.test.ts, through Qdrant's conditional upsert.
import { startQdrantStandin } from '../support/qdrant-standin.ts';
import { runVersionedWriteScenarios } from './versioned-writes-flow.ts';

runVersionedWriteScenarios('qdrant', async () => {
  const standin = await startQdrantStandin({ strictMode: true });
  return { env: { QDRANT_URL: standin.url }, stop: () => standin.stop() };
});
