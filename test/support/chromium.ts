// Where the browser test finds a Chromium the machine already has, in this order: CHROMIUM_PATH or
// CHROME_PATH, a chromium / google-chrome on PATH, Playwright's browser cache (PLAYWRIGHT_BROWSERS_PATH,
// else ~/.cache/ms-playwright). Nothing is installed here: `npm test` installs Debian's chromium only
// when EMBEDLINE_TEST_INSTALL=1 (scripts/test-setup.sh), and without a browser the test fails with
// one line saying so. Run directly, it prints the path found or exits 1 (the setup script asks it).
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ON_PATH = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
/** Executables inside a Playwright cache entry, newest layout first. */
const IN_PLAYWRIGHT_ENTRY = ['chrome-linux64/chrome', 'chrome-linux/chrome', 'chrome-linux/headless_shell', 'chrome-headless-shell-linux64/chrome-headless-shell'];

export const CHROMIUM_MISSING =
  'no Chromium found (CHROMIUM_PATH, CHROME_PATH, chromium or google-chrome on PATH, the Playwright cache): set CHROMIUM_PATH to one, or run `EMBEDLINE_TEST_INSTALL=1 npm test` to let the test setup install Debian\'s chromium';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function playwrightCandidates(env: NodeJS.ProcessEnv): string[] {
  const cache = env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  let entries: string[];
  try {
    entries = readdirSync(cache).filter((name) => /^chromium/.test(name));
  } catch {
    return [];
  }
  // Newest revision first; the full browser before the headless shell.
  entries.sort((a, b) => Number(a.startsWith('chromium_headless')) - Number(b.startsWith('chromium_headless')) || b.localeCompare(a, 'en', { numeric: true }));
  return entries.flatMap((entry) => IN_PLAYWRIGHT_ENTRY.map((inner) => join(cache, entry, inner)));
}

/** The first Chromium found, or undefined. A named path that is not executable is not skipped silently. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['CHROMIUM_PATH', 'CHROME_PATH'] as const) {
    const named = env[name];
    if (!named) continue;
    if (!executable(named)) throw new Error(`${name}=${named} is not an executable file`);
    return named;
  }
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => ON_PATH.map((name) => join(dir, name)));
  return [...onPath, ...playwrightCandidates(env)].find(executable);
}

/** The Chromium to launch, or an error of one line saying how to get one. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const found = findChromium(env);
  if (!found) throw new Error(CHROMIUM_MISSING);
  return found;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const found = findChromium();
  if (found) console.log(found);
  process.exitCode = found ? 0 : 1;
}
