// `embedline status` prints the configuration in force, so an operator can see what a command
// will use, with secrets masked: an API key shows only that it is set, a Redis password never.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ENVIRONMENT_VARIABLES } from '../../src/config.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('status');
after(() => iso.cleanup());

// The shared Redis has no password; it answers AUTH from a URL that carries one all the same.
const env = { ...iso.env, REDIS_URL: iso.env.REDIS_URL!.replace('redis://', 'redis://:s3cret-pw@'), EMBEDLINE_API_KEY: 'topsecret-key', EMBEDLINE_QUERY_CACHE_SIZE: '77' };

test('status prints every declared variable after defaults, secrets masked', async () => {
  const text = await runCli(['status'], { env, timeoutMs: 60_000 });
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /s3cret-pw|topsecret-key/);
  // Every variable of src/config.ts has a row, with nothing to list by hand here or in status.
  for (const name of ENVIRONMENT_VARIABLES) assert.match(text.stdout, new RegExp(`^${name} +\\S`, 'm'), name);
  assert.match(text.stdout, /^EMBEDLINE_API_KEY +\*\*\* \(set\)$/m);
  assert.match(text.stdout, /^REDIS_URL +redis:\/\/:\*\*\*@/m);
  assert.match(text.stdout, /^EMBEDLINE_QUERY_CACHE_SIZE +77$/m);
  assert.match(text.stdout, /^EMBEDLINE_HTTP_TIMEOUT_MS +30000$/m, 'a default');
  assert.match(text.stdout, /^QDRANT_URL +\(unset\)$/m);
  assert.match(text.stdout, /^EMBEDLINE_MAX_BATCH_TOKENS +\(unset\)$/m, 'not mistaken for a secret');
  assert.ok(text.stdout.includes(`\nstore: local at ${iso.dataDir}; model: `), 'where the store is');

  const json = await runCli(['status', '--json'], { env, timeoutMs: 60_000 });
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, /s3cret-pw|topsecret-key/);
  const { config, environment } = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(environment), ENVIRONMENT_VARIABLES);
  assert.equal(environment.EMBEDLINE_API_KEY, '*** (set)');
  assert.equal(environment.EMBEDLINE_QUERY_CACHE_SIZE, 77);
  // The typed settings keep their names (the `config` object of earlier versions).
  assert.equal(config.store, 'local');
  assert.equal(config.storeAt, iso.dataDir, 'where the store is, as the backends table gives it');
  assert.equal(config.dataDir, iso.dataDir);
  assert.equal(config.queuePrefix, iso.prefix);
  assert.equal(config.apiKey, '*** (set)');
  assert.equal(config.redisConnectTimeoutMs, 3000);
  assert.equal(config['server.queryCacheSize'], 77);
});
