// Where the embedded store keeps its tables when no folder is given. EMBEDLINE_DATA is read once,
// by src/config.ts, and passed down as `dataDir`; this is only the fallback for callers that give none.
import { resolve } from 'node:path';

export const DEFAULT_DATA_DIR = './embedline-data';

/** ./embedline-data as an absolute path (so workers started elsewhere agree). */
export function defaultDataDir(): string {
  return resolve(DEFAULT_DATA_DIR);
}
