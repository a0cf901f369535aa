// A folder built once per test run and shared by the run's test files (each file is its own
// process; the test runner is their common parent). Building the sample collection takes ~40 s on
// two cores: the second file to need it copies it instead. Folders of finished runs are removed.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'embedline-built-once-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeFinishedRuns(): void {
  for (const entry of readdirSync(tmpdir())) {
    const pid = Number(entry.slice(PREFIX.length).split('-')[0]);
    if (entry.startsWith(PREFIX) && Number.isInteger(pid) && !alive(pid)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** The folder for `key` in this test run, calling `build` into a fresh folder the first time. */
export async function builtOnce(key: string, build: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmpdir(), `${PREFIX}${process.ppid}-${key}`);
  if (existsSync(dir)) return dir;
  removeFinishedRuns();
  const building = `${dir}.${process.pid}.tmp`;
  mkdirSync(building, { recursive: true });
  try {
    await build(building);
    // Atomic: another file finishing first leaves its folder in place, which is just as good.
    if (!existsSync(dir)) renameSync(building, dir);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}
