// `embedline status` prints the configuration in force, so an operator can see what a command
// will use, with secrets masked: an API key shows only that it is set, a Redis password never.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli } from '../support/run-cli.ts';

const iso = isolatedEnv('status');
after(() => iso.cleanup());

// The shared Redis has no password; it answers AUTH from a URL that carries one all the same.
const env = { ...iso.env, REDIS_URL: iso.env.REDIS_URL!.replace('redis://', 'redis://:s3cret-pw@'), EMBEDLINE_API_KEY: 'topsecret-key', EMBEDLINE_QUERY_CACHE_SIZE: '77' };

test('status prints the effective configuration, secrets masked', async () => {
  const text = await runCli(['status'], { env, timeoutMs: 60_000 });
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /s3cret-pw|topsecret-key/);
  assert.match(text.stdout, /^apiKey +\*\*\* \(set\)$/m);
  assert.match(text.stdout, /^redisUrl +redis:\/\/:\*\*\*@/m);
  assert.match(text.stdout, /^server\.queryCacheSize +77$/m);
  assert.match(text.stdout, /^qdrantUrl +\(unset\)$/m);

  const json = await runCli(['status', '--json'], { env, timeoutMs: 60_000 });
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, /s3cret-pw|topsecret-key/);
  const { config } = JSON.parse(json.stdout);
  assert.equal(config.store, 'local');
  assert.equal(config.dataDir, iso.dataDir);
  assert.equal(config.queuePrefix, iso.prefix);
  assert.equal(config.apiKey, '*** (set)');
  assert.equal(config.redisConnectTimeoutMs, 3000);
  assert.equal(config['server.queryCacheSize'], 77);
});
