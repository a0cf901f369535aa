// The search server under test, in its own process so that the load generator does not share its
// event loop or CPU accounting. Built as `embedline serve` builds it (buildSearchServer, the same
// query threads), configured by the environment the benchmark passes; prints {"url"} on stdout
// once listening. With `--profile FILE`, SIGUSR2 starts a V8 CPU profile of the main thread and
// the next SIGUSR2 writes it to FILE and prints {"profiled"} (stage-profile.ts reads it).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config.ts';
import { setLogQuiet } from '../../src/log.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { CollectionModels, SERVER_QUERY_THREADS } from '../../src/search/collection-models.ts';
import { buildSearchServer } from '../../src/serve/build-search-server.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';

const { values: flags } = parseArgs({ options: { profile: { type: 'string' } } });
const config = loadConfig();
setLogQuiet(config.quiet);
const store = openLocalStore(config.dataDir, { vectorMinRows: config.indexMinRows });
const models = new CollectionModels(resolveModelDir(config.modelDir), { ...config.inference, threadsPerRun: SERVER_QUERY_THREADS });
const app = await buildSearchServer({ store, models, config });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid, parallelRuns: models.parallelRuns })}\n`);
process.once('SIGTERM', () => {
  // Exit by running out of work, as `embedline serve` does: process.exit() while onnxruntime's
  // threads are still up can abort in its native teardown.
  void app.close().then(() => store.close());
});

const profileFile = flags.profile;
if (profileFile) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  let profiling = false;
  process.on('SIGUSR2', () => {
    profiling = !profiling;
    if (profiling) {
      void session.post('Profiler.start');
      return;
    }
    void session.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(profileFile, JSON.stringify(profile));
      process.stdout.write(`${JSON.stringify({ profiled: profileFile })}\n`);
    });
  });
}
