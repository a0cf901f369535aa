// The TEI-compatible routes as TEI's own clients use them: Python's
// huggingface_hub.InferenceClient("http://host:port").feature_extraction (from the test venv,
// .venv, test/support/requirements.txt) posts to `/`, TEI's default route, and must get the
// vectors POST /embed gives. POST /embed_all gives every token's vector, unpooled: their mean is
// the mean-pooled vector /embed gives unnormalised, and there is one per token /tokenize lists.
// POST /tokenize lists the model's own token ids with the special ones marked. POST / is an API
// route (the key guards it) while GET / stays the public page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { cosine } from '../../src/embed/vector-math.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const PYTHON = join(PROJECT_ROOT, '.venv', 'bin', 'python');
const TEXTS = ['how do stars produce energy', 'Photosynthesis turns light into chemical energy in the leaves of green plants.'];
const API_KEY = 'tei-key-5b1e';

const iso = isolatedEnv('tei-compat');
let servers: TestSearchServers;
let url: string;
let keyed: FastifyInstance;

before(async () => {
  servers = testSearchServers(iso);
  const app = await servers.server();
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  keyed = await servers.server({ EMBEDLINE_API_KEY: API_KEY });
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

test("huggingface_hub's InferenceClient(url).feature_extraction posts to / and gets the vectors /embed gives", async () => {
  const script = [
    'import json, sys',
    'from huggingface_hub import InferenceClient',
    'client = InferenceClient(sys.argv[1])',
    'print(json.dumps([client.feature_extraction(text).tolist() for text in json.loads(sys.argv[2])]))',
  ].join('\n');
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', script, url, JSON.stringify(TEXTS)], { env: { ...process.env, HF_HUB_OFFLINE: '0', NO_PROXY: '127.0.0.1' } });
  const fromPython = JSON.parse(stdout) as number[][][];
  const embed = await post('/embed', { inputs: TEXTS });
  assert.equal(embed.status, 200);
  const vectors = embed.json as number[][];
  assert.equal(fromPython.length, TEXTS.length);
  fromPython.forEach((batch, i) => {
    // TEI answers a single input as a batch of one; the client hands that on as a (1, dims) array.
    assert.equal(batch.length, 1);
    assert.equal(batch[0].length, vectors[i].length);
    assert.ok(cosine(batch[0], vectors[i]) >= 0.99999, `text ${i}: cosine ${cosine(batch[0], vectors[i])}`);
  });
});

test('POST /tokenize lists the model\'s token ids, the special ones marked, with or without them', async () => {
  const embedder = await testEmbedder();
  const withSpecial = await post('/tokenize', { inputs: TEXTS });
  assert.equal(withSpecial.status, 200);
  const lists = withSpecial.json as Array<Array<{ id: number; text: string; special: boolean; start: null; stop: null }>>;
  const ids = embedder.tokenize(TEXTS);
  assert.deepEqual(lists.map((tokens) => tokens.map((t) => t.id)), ids);
  for (const tokens of lists) {
    assert.deepEqual(tokens.map((t) => t.special), tokens.map((_, i) => i === 0 || i === tokens.length - 1), 'only [CLS] and [SEP] are special');
    assert.deepEqual([tokens[0].text, tokens.at(-1)!.text], ['[CLS]', '[SEP]']);
    assert.ok(tokens.every((t) => t.start === null && t.stop === null));
  }
  const without = await post('/tokenize', { inputs: TEXTS[0], add_special_tokens: false });
  assert.deepEqual((without.json as Array<Array<{ id: number }>>)[0].map((t) => t.id), ids[0].slice(1, -1));
});

test('POST /embed_all: one vector per token (as many as /tokenize lists), whose mean is the unnormalised /embed vector', async () => {
  const all = await post('/embed_all', { inputs: TEXTS });
  assert.equal(all.status, 200);
  const states = all.json as number[][][];
  const tokenCounts = (await testEmbedder()).tokenize(TEXTS).map((ids) => ids.length);
  // Two inputs of different lengths run in one batch: the shorter one's padding is left out.
  assert.notEqual(tokenCounts[0], tokenCounts[1]);
  assert.deepEqual(states.map((tokens) => tokens.length), tokenCounts);
  const pooled = (await post('/embed', { inputs: TEXTS, normalize: false })).json as number[][];
  states.forEach((tokens, i) => {
    const mean = tokens[0].map((_, d) => tokens.reduce((sum, v) => sum + v[d], 0) / tokens.length);
    assert.equal(mean.length, pooled[i].length);
    const worst = Math.max(...mean.map((x, d) => Math.abs(x - pooled[i][d])));
    assert.ok(worst < 1e-4, `text ${i}: largest difference from /embed's mean pooling ${worst}`);
  });
});

test('bad bodies on the new routes are one-line 400s in the usual error shape', async () => {
  const blank = await post('/embed_all', { inputs: ['fine', '  '] });
  assert.equal(blank.status, 400);
  assert.deepEqual(Object.keys((blank.json as { error: object }).error), ['code', 'message', 'request_id']);
  const left = await post('/', { inputs: 'x', truncation_direction: 'Left' });
  assert.equal(left.status, 400);
  assert.equal((left.json as { error: { code: string } }).error.code, 'BAD_REQUEST');
});

test('POST / needs the API key like /embed; GET / stays the public page', async () => {
  const denied = await keyed.inject({ method: 'POST', url: '/', payload: { inputs: 'x' } });
  assert.equal(denied.statusCode, 401);
  const allowed = await keyed.inject({ method: 'POST', url: '/', payload: { inputs: 'x' }, headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(allowed.statusCode, 200, allowed.body);
  const tokenize = await keyed.inject({ method: 'POST', url: '/tokenize', payload: { inputs: 'x' } });
  assert.equal(tokenize.statusCode, 401);
  const page = await keyed.inject({ method: 'GET', url: '/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /text\/html/);
});
