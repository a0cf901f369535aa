// Versioned writes on the embedded store (LanceDB): leftover jobs of an older run and a
// worker paused past its lock must not put old content back over a newer ingest.
import { runVersionedWriteScenarios } from './versioned-writes-flow.ts';

runVersionedWriteScenarios('local', async () => ({ env: {}, stop: async () => undefined }));
