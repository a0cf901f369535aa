// What the commands share: configuration from the environment, the store it selects, the queue.
import type { Config } from '../config.ts';
import { EmbedQueue } from '../queue/embed-queue.ts';
import { stopTracing } from '../telemetry/tracing.ts';
import { assertRedisReachable, redisOptionsFromUrl, whileRedisAnswers, type RedisConnectionOptions } from '../queue/redis-connection.ts';
import { openStore } from '../store/open-store.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { modelDirFlag } from './model-options.ts';
import { startupConfig } from './startup-config.ts';

export interface CommandContext {
  config: Config;
  connection: RedisConnectionOptions;
  store(): VectorStore;
  queue(): EmbedQueue;
  /**
   * Runs Redis work of a command that must end (status, jobs): first checks that Redis answers,
   * then fails with one line naming the URL as soon as it stops answering, instead of waiting on
   * BullMQ's endless reconnects (whose errors the queue logs once, queue/redis-error-log.ts).
   */
  redis<T>(work: () => Promise<T>): Promise<T>;
  modelDir(flag?: string): string;
  close(): Promise<void>;
}

export function commandContext(): CommandContext {
  const config = startupConfig();
  const connection = redisOptionsFromUrl(config.redisUrl, config.redisConnectTimeoutMs);
  let store: VectorStore | undefined;
  let queue: EmbedQueue | undefined;
  return {
    config,
    connection,
    store: () => (store ??= openStore({ dataDir: config.dataDir, qdrantUrl: config.qdrantUrl, qdrantApiKey: config.qdrantApiKey, qdrantPlacement: config.qdrantPlacement, indexMinRows: config.indexMinRows })),
    queue: () => (queue ??= new EmbedQueue(connection, config.queuePrefix)),
    redis: async (work) => {
      await assertRedisReachable(connection);
      return whileRedisAnswers(work(), connection);
    },
    modelDir: modelDirFlag,
    close: async () => {
      // Also sends the spans still buffered when the command traced (telemetry/tracing.ts).
      await Promise.all([store?.close(), queue?.closeWithin(connection.connectTimeout), stopTracing()]);
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
