// What the commands share: configuration from the environment, the store it selects, the queue.
import { loadConfig, type Config } from '../config.ts';
import { resolveModelDir } from '../embed/model-files.ts';
import { EmbedQueue } from '../queue/embed-queue.ts';
import { assertRedisReachable, redisOptionsFromUrl, type RedisConnectionOptions } from '../queue/redis-connection.ts';
import { openStore } from '../store/open-store.ts';
import type { VectorStore } from '../store/vector-store.ts';

export interface CommandContext {
  config: Config;
  connection: RedisConnectionOptions;
  store(): VectorStore;
  queue(): EmbedQueue;
  /** Throws one line naming REDIS_URL unless Redis answers within the connect timeout; run it before queue(). */
  requireRedis(): Promise<void>;
  modelDir(flag?: string): string;
  close(): Promise<void>;
}

export function commandContext(): CommandContext {
  const config = loadConfig();
  const connection = redisOptionsFromUrl(config.redisUrl, config.redisConnectTimeoutMs);
  let store: VectorStore | undefined;
  let queue: EmbedQueue | undefined;
  return {
    config,
    connection,
    store: () => (store ??= openStore({ dataDir: config.dataDir, qdrantUrl: config.qdrantUrl, qdrantApiKey: config.qdrantApiKey })),
    queue: () => (queue ??= new EmbedQueue(connection, config.queuePrefix)),
    requireRedis: () => assertRedisReachable(connection),
    modelDir: (flag) => resolveModelDir(flag ?? config.modelDir),
    close: async () => {
      await Promise.all([store?.close(), queue?.close()]);
    },
  };
}

/** Runs `fn` with a context and always closes it, so Redis connections never keep the process alive. */
export async function withContext<T>(fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const ctx = commandContext();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
