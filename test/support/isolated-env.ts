// Per-test-file isolation on the shared Redis and disk: a unique queue prefix and a temp data folder,
// removed afterwards so runs never see each other's jobs or collections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * The Redis of the tests: REDIS_URL, which `npm test` always sets (support/run-tests.ts: the given
 * one or a private server); a test file run alone without it uses the usual local default.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface IsolatedEnv {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  prefix: string;
  dir: string;
  cleanup(): Promise<void>;
}

export function isolatedEnv(name: string): IsolatedEnv {
  const dir = mkdtempSync(join(tmpdir(), `embedline-${name}-`));
  const dataDir = join(dir, 'data');
  const prefix = `test-${name}-${process.pid}-${Date.now().toString(36)}`;
  return {
    dir,
    dataDir,
    prefix,
    env: { EMBEDLINE_DATA: dataDir, EMBEDLINE_QUEUE_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL },
    cleanup: async () => {
      await deleteRedisKeys(`${prefix}:*`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
