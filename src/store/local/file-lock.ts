// A lock between processes (and store instances) sharing one data folder, for the few writes that
// LanceDB and a JSON file do not make atomic by themselves: creating a table (two racing creates
// can both succeed, the last one's schema winning) and read-modify-write of aliases.json (two
// racing updates lose one). The lock is a file created with O_EXCL, atomic on a local filesystem,
// and removed by its holder, which keeps it for milliseconds. A holder that died leaves its file;
// one older than STALE_MS is taken over (two waiters taking over one stale lock at the same moment
// could both get it: that needs a holder to have died inside those milliseconds).
import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STALE_MS = 30_000;
const POLL_MS = 20;

/** Where the data folder's lock files live (not a Lance table folder: tableNames() never lists it). */
export function lockPath(dataDir: string, name: string): string {
  return join(dataDir, '.locks', `${name}.lock`);
}

export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  await acquire(path);
  try {
    return await work();
  } finally {
    release(path);
  }
}

async function acquire(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(path)) release(path);
    else await sleep(POLL_MS);
  }
}

function isStale(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false; // released meanwhile: try again at once
  }
}

function release(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
