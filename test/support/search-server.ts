// A search server over a test's data folder and Redis prefix, as `embedline serve` builds it, with
// environment overrides (API key, rate limit, …) per server.
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { buildSearchServer, type SearchServerDeps } from '../../src/serve/build-search-server.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import type { IsolatedEnv } from './isolated-env.ts';
import { MODEL_DIR } from './model.ts';

export interface TestSearchServers {
  /** A new server sharing the store, queue and loaded models, configured by `env` on top of the test's. */
  server(env?: NodeJS.ProcessEnv, deps?: Partial<SearchServerDeps>): Promise<FastifyInstance>;
  store: VectorStore;
  queue: EmbedQueue;
  close(): Promise<void>;
}

export function testSearchServers(iso: IsolatedEnv, modelDir = MODEL_DIR): TestSearchServers {
  const config = loadConfig(iso.env);
  const store = openLocalStore(config.dataDir, { vectorMinRows: config.indexMinRows });
  const queue = new EmbedQueue(redisOptionsFromUrl(config.redisUrl), config.queuePrefix);
  const models = new CollectionModels(modelDir);
  const apps: FastifyInstance[] = [];
  return {
    store,
    queue,
    server: async (env = {}, deps = {}) => {
      const app = await buildSearchServer({ store, models, queue, config: loadConfig({ ...iso.env, ...env }), ...deps });
      apps.push(app);
      return app;
    },
    close: async () => {
      for (const app of apps) await app.close();
      await queue.close();
      await store.close();
    },
  };
}
