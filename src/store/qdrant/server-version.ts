// The oldest Qdrant this adapter works with, and the check made once per connection. Collections
// record their spec in collection `metadata`, which Qdrant accepts only from 1.16 on; an older
// server would drop it silently and every later spec check would fail in a confusing way.
import { EmbedlineError } from '../../errors.ts';

export const MIN_QDRANT_VERSION = '1.16.0';

/** [major, minor, patch] of "1.16.2" or "v1.16.2-rc1"; undefined when the text is no version. */
export function parseVersion(text: unknown): [number, number, number] | undefined {
  const match = typeof text === 'string' ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim()) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/** Refuses a server older than MIN_QDRANT_VERSION (or one that does not say its version), in one line. */
export function checkServerVersion(reported: unknown, url: string): void {
  const version = parseVersion(reported);
  const minimum = parseVersion(MIN_QDRANT_VERSION)!;
  if (version === undefined) {
    throw new EmbedlineError('STORE_REJECTED', `Qdrant at ${url} did not report a version (got ${JSON.stringify(reported)}); embedline needs Qdrant ≥ ${MIN_QDRANT_VERSION}`, {
      details: { version: reported, minimum: MIN_QDRANT_VERSION },
    });
  }
  const older = version.findIndex((part, i) => part !== minimum[i]);
  if (older !== -1 && version[older] < minimum[older]) {
    throw new EmbedlineError(
      'STORE_REJECTED',
      `Qdrant at ${url} is version ${String(reported)}, older than ${MIN_QDRANT_VERSION}, the oldest embedline supports (collection metadata): upgrade the server`,
      { details: { version: reported, minimum: MIN_QDRANT_VERSION } },
    );
  }
}
