// Random faults over several versions of a corpus (kill -9 of producers and workers,
// workers paused past their locks, leftovers finished late) on the embedded store and on the Qdrant
// stand-in; the store must end at the last version exactly. The seed is printed: EMBEDLINE_TEST_SEED replays it.
import { startQdrantStandin } from '../support/qdrant-standin.ts';
import { runRandomFaults } from './versioned-writes-flow.ts';

runRandomFaults('local', async () => ({ env: {}, stop: async () => undefined }));

runRandomFaults('qdrant', async () => {
  const standin = await startQdrantStandin({ strictMode: true });
  return { env: { QDRANT_URL: standin.url }, stop: () => standin.stop() };
});
