// Where the embedded store keeps its tables when no folder is given.
import { resolve } from 'node:path';

export const DEFAULT_DATA_DIR = './embedline-data';

/** EMBEDLINE_DATA, else ./embedline-data, as an absolute path (so workers started elsewhere agree). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.EMBEDLINE_DATA || DEFAULT_DATA_DIR);
}
