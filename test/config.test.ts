// src/config.ts is the one declaration of the environment: each kind of variable refuses a bad
// value with one line naming the variable (the CLI before any work), the typed options carry what
// was set, and docs/configuration.md's table lists exactly the declared variables.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ENVIRONMENT_VARIABLES, loadConfig } from '../src/config.ts';
import { PROJECT_ROOT, runCli } from './support/run-cli.ts';

const failsNaming = (name: string, message: RegExp) => (err: unknown) => {
  const e = err as { code?: string; message: string };
  assert.equal(e.code, 'CONFIG_INVALID');
  assert.ok(!e.message.includes('\n'), 'one line');
  assert.match(e.message, new RegExp(`\\b${name}\\b`));
  assert.match(e.message, message);
  return true;
};

test('each kind of variable refuses a bad value, naming the variable and what it must be', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['EMBEDLINE_THREADS', 'two', /EMBEDLINE_THREADS="two" must be a whole number from 1 to 1024/],
    ['EMBEDLINE_THREADS', '0', /must be a whole number from 1 to 1024/],
    // A million threads is a typo onnxruntime would try to honour.
    ['EMBEDLINE_THREADS', '1000000', /EMBEDLINE_THREADS="1000000" must be a whole number from 1 to 1024/],
    ['EMBEDLINE_SESSIONS', '0', /must be a whole number 1 or more/],
    ['EMBEDLINE_MAX_BATCH_TOKENS', '1.5', /must be a whole number 1 or more/],
    ['EMBEDLINE_QUERY_BATCH_WINDOW_MS', '5000', /must be a whole number from 0 to 1000/],
    ['REDIS_URL', 'not a url', /must be redis:\/\/, rediss:\/\/, redis\+cluster:\/\/ or redis\+sentinel:\/\//],
    ['EMBEDLINE_QUIET', 'yes', /EMBEDLINE_QUIET="yes" must be 1, 0, true or false/],
    ['EMBEDLINE_QUEUE_PREFIX', 'a b', /may hold only letters, digits/],
  ];
  for (const [name, value, message] of cases) {
    assert.throws(() => loadConfig({ [name]: value }), failsNaming(name, message), `${name}=${value}`);
  }
});

test('a good environment becomes typed options; empty counts as unset', () => {
  const config = loadConfig({
    EMBEDLINE_THREADS: '3',
    EMBEDLINE_SESSIONS: '',
    EMBEDLINE_MAX_BATCH_TOKENS: '1024',
    EMBEDLINE_LOCK_DURATION_MS: '5000',
    EMBEDLINE_QUIET: 'true',
    EMBEDLINE_VERBOSE: '0',
  });
  assert.deepEqual(config.inference, { threads: 3, sessions: undefined, maxBatchTokens: 1024, device: undefined });
  assert.deepEqual(config.worker, { lockDurationMs: 5000, stalledIntervalMs: undefined });
  assert.equal(config.quiet, true);
  assert.equal(config.verbose, false);
  assert.equal(config.variables.EMBEDLINE_QUERY_CACHE_SIZE, 1000, 'defaults are applied');
  assert.deepEqual(Object.keys(config.variables), ENVIRONMENT_VARIABLES);
  assert.equal(loadConfig({}).launchedByNpm, false);
  assert.equal(loadConfig({ npm_command: 'exec' }).launchedByNpm, true);
});

test('the CLI checks the environment before any work: one line, exit 2 (usage)', async () => {
  const result = await runCli(['status'], { env: { EMBEDLINE_THREADS: 'two' }, timeoutMs: 60_000 });
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, 'error: invalid environment: EMBEDLINE_THREADS="two" must be a whole number from 1 to 1024\n');
});

test('the configuration table (docs/configuration.md) lists exactly the declared variables', () => {
  const section = readFileSync(join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  assert.ok(rows.length > 10, 'the table is found');
  const documented = new Set(rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
  const declared = new Set<string>(ENVIRONMENT_VARIABLES);
  assert.deepEqual([...declared].filter((name) => !documented.has(name)), [], 'declared in src/config.ts but missing from the docs/configuration.md table');
  assert.deepEqual([...documented].filter((name) => !declared.has(name)), [], 'in the docs/configuration.md table but not declared in src/config.ts');
});
