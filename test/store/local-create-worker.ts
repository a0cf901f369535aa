// A process for the local store's alias test: creates collections of its own, one after another,
// while another process does the same in the same data folder (every create updates aliases.json).
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { testSpec } from './store-fixtures.ts';

const [dataDir, worker, total] = process.argv.slice(2);
const store = openLocalStore(dataDir);
for (let i = 0; i < Number(total); i++) await store.ensureCollection(`p${worker}-c${i}`, testSpec(4));
await store.close();
