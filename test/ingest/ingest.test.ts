// The main job end to end on the embedded (LanceDB) store.
import { runIngestFlow } from './ingest-flow.ts';

runIngestFlow('local', async () => ({ env: {}, stop: async () => undefined }));
