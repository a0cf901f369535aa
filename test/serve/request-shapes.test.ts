// What the HTTP API promises about request bodies and names, where it used to answer otherwise: a
// text/plain body is 415 (it was parsed as a string: 400 "body must be an object"); a "__proto__"
// key is refused by name (it was "body is not valid JSON"); a query of NUL characters is blank, as
// ingest counts it (it returned hits); a collection's stored version (`notes__v1`) is not a name
// searches or the embedding endpoints take (it answered as the collection).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { basename } from 'node:path';
import { specForModel } from '../../src/contracts/collection-spec.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';
import { sampleArticles, upsertArticles } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const iso = isolatedEnv('request-shapes');
let servers: TestSearchServers;
let app: FastifyInstance;
const SEARCH = '/v1/collections/notes/search';
const MODEL = basename(MODEL_DIR);

before(async () => {
  servers = testSearchServers(iso);
  const embedder = await testEmbedder();
  await servers.store.ensureCollection('notes', specForModel(embedder.info, { pooling: 'mean', chunkTokens: 254, overlap: 0 }));
  await upsertArticles(servers.store, 'notes', sampleArticles().slice(0, 5));
  app = await servers.server();
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

const searchWith = (payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: SEARCH, headers: { 'content-type': contentType }, payload });

describe('bodies', () => {
  test('a text/plain body is 415 UNSUPPORTED_MEDIA_TYPE, as docs/http-api.md says', async () => {
    const res = await searchWith('{"query":"stars"}', 'text/plain');
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(res.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
    // The OpenAI route answers in its own shape.
    const openai = await app.inject({ method: 'POST', url: '/v1/embeddings', headers: { 'content-type': 'text/plain' }, payload: 'stars' });
    assert.equal(openai.statusCode, 415);
    assert.equal(openai.json().error.type, 'invalid_request_error');
  });

  test('a filter key "__proto__" (plain or escaped) is refused by name, not called invalid JSON', async () => {
    for (const body of ['{"query":"stars","filter":{"__proto__":"x"}}', '{"query":"stars","filter":{"\\u005f_proto__":"x"}}']) {
      const res = await searchWith(body);
      assert.equal(res.statusCode, 400, body);
      assert.deepEqual(res.json(), {
        error: { code: 'BAD_REQUEST', message: 'body holds the key "__proto__", which is refused (it names an object\'s prototype); rename that field', request_id: res.headers['x-request-id'] },
      });
    }
  });

  test('JSON that is not valid, empty or nested past the parser is still a 400 in the shape', async () => {
    assert.equal((await searchWith('{"query":')).json().error.message, 'body is not valid JSON');
    assert.equal((await searchWith('')).json().error.message, 'body is empty; send a JSON object');
    const deep = await searchWith(`{"query":"x","filter":{"a":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`);
    assert.equal(deep.statusCode, 400);
    assert.equal(deep.json().error.message, 'body nests too deeply');
    // A key named "constructor" is an ordinary field (here one no point has).
    const ctor = await searchWith('{"query":"stars","filter":{"constructor":"x"}}');
    assert.equal(ctor.json().error.message, 'unknown filter field "constructor": no point in this collection has that metadata key');
  });

  test('a query of only NUL or control characters is blank: 400, as ingest treats such text', async () => {
    for (const query of ['\u0000\u0000\u0000', '\u0000 \u0007\t']) {
      const res = await searchWith(JSON.stringify({ query }));
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json(), { error: { code: 'BAD_REQUEST', message: 'body.query must not be blank', request_id: res.headers['x-request-id'] } });
    }
    const openai = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: MODEL, input: '\u0000\u0000' } });
    assert.equal(openai.statusCode, 400, openai.body);
    assert.equal(openai.json().error.code, 'TEXT_EMPTY');
    assert.equal((await searchWith(JSON.stringify({ query: 'stars\u0000' }))).statusCode, 200, 'a visible character is enough');
  });
});

describe('TEI /embed says what is wrong with its inputs, not "must be a string" for an array', () => {
  const cases: Array<[string, unknown, string]> = [
    ['2,049 inputs', Array(2049).fill('x'), 'body.inputs must have at most 2048 items'],
    ['a blank input', '\u0000', 'body.inputs must not be blank'],
    ['a blank item', ['fine', '\u0000 '], 'body.inputs.1 must not be blank'],
    ['no items', [], 'body.inputs must have at least 1 item'],
    ['a number', 42, 'body.inputs must be a string'],
  ];
  for (const [name, inputs, message] of cases) {
    test(name, async () => {
      const res = await app.inject({ method: 'POST', url: '/embed', payload: { inputs } });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json(), { error: { code: 'BAD_REQUEST', message, request_id: res.headers['x-request-id'] } });
    });
  }
});

describe('names', () => {
  test('the stored version notes__v1 is not searchable, the collection is', async () => {
    const info = await servers.store.describe('notes');
    assert.equal(info?.version, 'notes__v1', 'the collection is an alias of its first version');
    const res = await app.inject({ method: 'POST', url: '/v1/collections/notes__v1/search', payload: { query: 'stars' } });
    assert.equal(res.statusCode, 404, res.body);
    assert.deepEqual(res.json(), {
      error: {
        code: 'COLLECTION_MISSING',
        message: 'collection "notes__v1" does not exist ("notes__v1" is a stored version of "notes": use "notes")',
        request_id: res.headers['x-request-id'],
      },
    });
    const embeddings = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: 'notes__v1', input: 'stars' } });
    assert.equal(embeddings.statusCode, 404, embeddings.body);
    assert.equal((await app.inject({ method: 'POST', url: SEARCH, payload: { query: 'stars' } })).statusCode, 200);
  });
});
