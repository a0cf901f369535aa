// What the commands share: configuration from the environment and the runtime it opens
// (core/runtime.ts: the store it selects, with its place, and the queue), closed as one.
import { openRuntime, type Runtime, type RuntimeConfig } from '../core/runtime.ts';
import { stopTracing } from '../telemetry/tracing.ts';
import { assertRedisReachable, whileRedisAnswers, type RedisConnectionOptions } from '../queue/redis-connection.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { modelDirFlag } from './model-options.ts';
import { startupConfig } from './startup-config.ts';

export interface CommandContext {
  /** The configuration, with the id of the store in force (storeId). */
  config: RuntimeConfig;
  connection: RedisConnectionOptions;
  /** Which store the configuration selects and where (kind, folder or URL, the id its jobs carry). */
  place: Runtime['place'];
  store(): VectorStore;
  queue(): EmbedQueue;
  /** The runtime itself, for commands that open more than the configured store (`migrate`). */
  runtime: Runtime;
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
  const runtime = openRuntime(startupConfig());
  const { connection } = runtime;
  return {
    config: runtime.config,
    connection,
    place: runtime.place,
    store: runtime.store,
    queue: runtime.queue,
    runtime,
    redis: async (work) => {
      await assertRedisReachable(connection);
      return whileRedisAnswers(work(), connection);
    },
    modelDir: modelDirFlag,
    // Also sends the spans still buffered when the command traced (telemetry/tracing.ts).
    close: async () => {
      await Promise.all([runtime.close(), stopTracing()]);
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
