// The drop-in embedding endpoints of `embedline serve`, driven by clients nobody here wrote: the
// official `openai` npm package (baseURL at a real server on a free port) for float and base64,
// single and batch, and a TEI-style request via fetch. Vectors are compared with what
// `embedline embed` writes for the same texts (cosine ≥ 0.99999). Also: `model` naming a collection
// embeds with that collection's pooling, over-long input fails unless truncate, OpenAI-style error
// bodies, the API key, the shared query-embedding metrics, and the admission bound searches have
// (past EMBEDLINE_MAX_QUEUED_REQUESTS an embedding request is a 503 OVERLOADED, not more held work).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { specForModel } from '../../src/contracts/collection-spec.ts';
import { cosine } from '../../src/embed/vector-math.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const MODEL = basename(MODEL_DIR);
const CLS_COLLECTION = 'cls-notes';
const API_KEY = 'embed-key-71c2';
const TEXTS = ['how do stars produce energy', 'Photosynthesis turns light into chemical energy.', 'The stock market fell sharply on Tuesday.'];

const iso = isolatedEnv('embedding-endpoints');
let servers: TestSearchServers;
let app: FastifyInstance;
let baseURL: string;
/** What `embedline embed` (default pooling and normalisation) writes for TEXTS. */
let cliVectors: number[][];

before(async () => {
  servers = testSearchServers(iso);
  const embedder = await testEmbedder();
  await servers.store.ensureCollection(CLS_COLLECTION, specForModel(embedder.info, { pooling: 'cls', chunkTokens: 254, overlap: 0 }));
  app = await servers.server();
  baseURL = `${await app.listen({ port: 0, host: '127.0.0.1' })}/v1`;
  const input = join(iso.dir, 'texts.jsonl');
  const output = join(iso.dir, 'vectors.jsonl');
  writeFileSync(input, TEXTS.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const result = await runCli(['embed', '--model', MODEL_DIR, '--input', input, '--output', output]);
  assert.equal(result.code, 0, result.stderr);
  cliVectors = readFileSync(output, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { vector: number[] }).vector);
});
after(async () => {
  await servers?.close();
  await iso.cleanup();
});

function assertSameVectors(actual: ArrayLike<number>[], expected: number[][]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => {
    assert.equal(v.length, 384);
    assert.ok(cosine(v, expected[i]) >= 0.99999, `vector ${i}: cosine ${cosine(v, expected[i])}`);
  });
}

describe('POST /v1/embeddings with the openai client', () => {
  const client = () => new OpenAI({ apiKey: 'unused', baseURL, maxRetries: 0 });

  test('float, single input: the wire format, and the vector embedline embed writes', async () => {
    const res = await client().embeddings.create({ model: MODEL, input: TEXTS[0], encoding_format: 'float' });
    assert.equal(res.object, 'list');
    assert.equal(res.model, MODEL);
    assert.deepEqual(Object.keys(res.data[0]).sort(), ['embedding', 'index', 'object']);
    assert.equal(res.data[0].object, 'embedding');
    assert.equal(res.data[0].index, 0);
    assertSameVectors([res.data[0].embedding], [cliVectors[0]]);
    const tokens = (await testEmbedder()).tokenize([TEXTS[0]])[0].length;
    assert.deepEqual(res.usage, { prompt_tokens: tokens, total_tokens: tokens });
  });

  test('float, batch: one vector per input, in input order', async () => {
    const res = await client().embeddings.create({ model: MODEL, input: TEXTS, encoding_format: 'float' });
    assert.deepEqual(res.data.map((d) => d.index), [0, 1, 2]);
    assertSameVectors(res.data.map((d) => d.embedding), cliVectors);
  });

  test('base64 (the client decodes it), single and batch', async () => {
    const single = await client().embeddings.create({ model: MODEL, input: TEXTS[1], encoding_format: 'base64' });
    // Asked for explicitly, the client hands back the base64 string: decode it as OpenAI documents.
    const bytes = Uint8Array.from(Buffer.from(single.data[0].embedding as unknown as string, 'base64'));
    const decoded = [...new Float32Array(bytes.buffer)];
    assertSameVectors([decoded], [cliVectors[1]]);
    // Left unspecified, the client asks for base64 itself and decodes it to floats.
    const batch = await client().embeddings.create({ model: MODEL, input: TEXTS });
    assertSameVectors(batch.data.map((d) => d.embedding), cliVectors);
  });

  test("token ids from the model's tokenizer embed as the text does", async () => {
    const content = (await testEmbedder()).tokenizer.encodeContent(TEXTS[2]);
    const res = await client().embeddings.create({ model: MODEL, input: [content], encoding_format: 'float' });
    assertSameVectors([res.data[0].embedding], [cliVectors[2]]);
  });

  test("model naming a collection embeds with that collection's pooling (cls here, mean for the folder)", async () => {
    const res = await client().embeddings.create({ model: CLS_COLLECTION, input: TEXTS[0], encoding_format: 'float' });
    const expected = (await (await testEmbedder()).embed([TEXTS[0]], { pooling: 'cls', normalize: true })).vectors[0];
    assertSameVectors([res.data[0].embedding], [[...expected]]);
    assert.ok(cosine(res.data[0].embedding, cliVectors[0]) < 0.999, 'cls differs from the folder default (mean)');
  });

  test('an unknown model and an over-long input are OpenAI-style errors the client raises', async () => {
    await assert.rejects(client().embeddings.create({ model: 'no-such-model', input: 'x' }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError, String(err));
      assert.deepEqual(err.error, { message: `model "no-such-model" is neither the model this server serves (${MODEL}) nor a collection`, type: 'invalid_request_error', param: 'model', code: 'MODEL_NOT_FOUND' });
      return true;
    });
    const long = 'star '.repeat(400);
    await assert.rejects(client().embeddings.create({ model: MODEL, input: ['fine', long] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError, String(err));
      assert.match(err.message, /text 1 has 402 tokens, over the model's limit of 256/);
      assert.equal(err.param, 'input');
      return true;
    });
    // truncate (an extension the client passes through) cuts it to the limit instead.
    const res = await client().embeddings.create({ model: MODEL, input: long, encoding_format: 'float', truncate: true } as OpenAI.EmbeddingCreateParams);
    assert.equal(res.usage.prompt_tokens, 256);
  });

  test('GET /v1/models lists the served model folder', async () => {
    const models = [];
    for await (const model of client().models.list()) models.push(model);
    assert.deepEqual(models.map((m) => [m.id, m.object, m.owned_by]), [[MODEL, 'model', 'embedline']]);
    assert.equal((await client().models.retrieve(CLS_COLLECTION)).id, CLS_COLLECTION);
  });

  test('with EMBEDLINE_API_KEY, the client needs the key (401 in OpenAI shape without it)', async () => {
    const guarded = await servers.server({ EMBEDLINE_API_KEY: API_KEY });
    const url = `${await guarded.listen({ port: 0, host: '127.0.0.1' })}/v1`;
    await assert.rejects(new OpenAI({ apiKey: 'wrong', baseURL: url, maxRetries: 0 }).embeddings.create({ model: MODEL, input: 'x' }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.AuthenticationError, String(err));
      assert.equal((err.error as { type: string }).type, 'authentication_error');
      return true;
    });
    const res = await new OpenAI({ apiKey: API_KEY, baseURL: url, maxRetries: 0 }).embeddings.create({ model: MODEL, input: TEXTS[0], encoding_format: 'float' });
    assertSameVectors([res.data[0].embedding], [cliVectors[0]]);
  });

  test('bad input shapes are 400 naming the field, never a 5xx', async () => {
    for (const [body, message] of [
      [{ model: MODEL, input: [] }, /body\.input must be a string, a non-empty array of strings/],
      [{ model: MODEL, input: [1, 'a'] }, /body\.input must be/],
      [{ model: MODEL, input: [[999999]] }, /input 0 holds 999999, which is not a token id/],
      [{ model: MODEL, input: 'x', encoding_format: 'int8' }, /body\.encoding_format/],
      [{ model: MODEL, input: 'x', dimensions: 128 }, /body\.dimensions must be 384/],
      [{ model: MODEL, input: '   ' }, /text 0 is empty/],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: body });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      const { error } = res.json();
      assert.deepEqual(Object.keys(error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.message, message);
    }
  });
});

describe('TEI-compatible routes', () => {
  test('POST /embed returns [[…]] equal to embedline embed; normalize false keeps the raw pooling', async () => {
    const res = await fetch(`${baseURL.replace(/\/v1$/, '')}/embed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: TEXTS }) });
    assert.equal(res.status, 200);
    const vectors = (await res.json()) as number[][];
    assertSameVectors(vectors, cliVectors);
    const raw = (await app.inject({ method: 'POST', url: '/embed', payload: { inputs: TEXTS[0], normalize: false } })).json() as number[][];
    const norm = Math.hypot(...raw[0]);
    assert.ok(Math.abs(norm - 1) > 0.01, `unnormalised norm ${norm}`);
    assert.ok(cosine(raw[0], cliVectors[0]) >= 0.99999);
  });

  test('over-long input is 400 unless truncate', async () => {
    const long = 'star '.repeat(400);
    const refused = await app.inject({ method: 'POST', url: '/embed', payload: { inputs: [long] } });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error.code, 'TEXT_TOO_LONG');
    const cut = await app.inject({ method: 'POST', url: '/embed', payload: { inputs: [long], truncate: true } });
    assert.equal(cut.statusCode, 200, cut.body);
  });

  test('GET /info describes the served model', async () => {
    const info = (await app.inject({ method: 'GET', url: '/info' })).json();
    assert.equal(info.model_id, MODEL);
    assert.deepEqual(info.model_type, { embedding: { pooling: 'mean' } });
    assert.equal(info.dims, 384);
    assert.equal(info.max_input_length, 256);
    assert.ok(Number.isInteger(info.max_batch_tokens) && info.max_batch_tokens > 0);
  });

  test('embedding requests show in the query-embedding metrics', async () => {
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /embedline_http_request_duration_seconds_count\{method="POST",route="\/v1\/embeddings",status_code="200"\} [1-9]/);
    assert.match(metrics, /embedline_query_embed_batch_size_count [1-9]/);
  });
});

describe('admission', () => {
  test('past the queue limit embedding requests are refused with 503 OVERLOADED and Retry-After, as searches are; the rest succeed', async () => {
    const bounded = await servers.server({ EMBEDLINE_MAX_QUEUED_REQUESTS: '0' });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2
          ? bounded.inject({ method: 'POST', url: '/embed', payload: { inputs: `sentence number ${i}` } })
          : bounded.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: MODEL, input: `sentence number ${i}` } }),
      ),
    );
    assert.ok(results.every((r) => r.statusCode === 200 || r.statusCode === 503), results.map((r) => r.statusCode).join());
    const refused = results.filter((r) => r.statusCode === 503);
    assert.ok(refused.length > 0, 'some embedding requests were refused');
    for (const res of refused) {
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.json().error.code, 'OVERLOADED');
      assert.match(res.json().error.message, /^the server is busy \(\d+ requests running, 0 waiting\); retry shortly$/);
    }
    // Nothing is left held: the next request is admitted.
    assert.equal((await bounded.inject({ method: 'POST', url: '/embed', payload: { inputs: 'stars' } })).statusCode, 200);
  });
});
