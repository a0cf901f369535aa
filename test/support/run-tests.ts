// `npm test`'s test stage: runs node's test runner on the given test files (default: every
// test/**/*.test.ts) against the Redis that REDIS_URL names, or, when REDIS_URL is unset, against a
// redis-server of its own on a free port (never 6379, never the machine's Redis), which it stops
// afterwards whatever happens: tests passing or failing, Ctrl-C or SIGTERM. So a test run leaves the
// machine as it found it. Exits with the test runner's code (130/143 when stopped by a signal).
//
//   node --import tsx test/support/run-tests.ts [test files...]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { privateRedis } from './private-redis.ts';
import { PROJECT_ROOT } from './run-cli.ts';

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function say(line: string): void {
  process.stderr.write(`run-tests: ${line}\n`);
}

function allTestFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts')) found.push(relative(PROJECT_ROOT, path));
    }
  };
  walk(join(PROJECT_ROOT, 'test'));
  // Byte order, as `find | sort` under LC_ALL=C gave before.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A URL for the log with any password masked. */
function shown(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@');
}

/** The Redis the tests use: REDIS_URL as given, else a private server and its stop function. */
async function testRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = process.env.REDIS_URL;
  if (given) {
    say(`using REDIS_URL ${shown(given)}`);
    return { url: given, stop: async () => {} };
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    say('REDIS_URL is not set and redis-server is not on PATH: install Redis (Debian: apt-get install redis-server) or set REDIS_URL to a Redis the tests may use');
    process.exit(1);
  }
  const redis = await privateRedis();
  await redis.start();
  say(`started redis-server for the tests at ${redis.url} (stopped after)`);
  return { url: redis.url, stop: () => redis.crash() };
}

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  const redis = await testRedis();
  let tests: ChildProcess | undefined;
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    stoppedBy ??= signal;
    // A terminal's Ctrl-C reaches the whole process group; a SIGTERM sent to this process alone must
    // reach the tests too.
    tests?.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...(files.length > 0 ? files : allTestFiles())], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      env: { ...process.env, REDIS_URL: redis.url },
    });
    tests = child;
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c, s) => resolve([c, s]));
    });
    if (stoppedBy) return SIGNAL_EXIT[stoppedBy] ?? 1;
    return code ?? SIGNAL_EXIT[signal ?? ''] ?? 1;
  } finally {
    await redis.stop();
  }
}

process.exitCode = await main();
