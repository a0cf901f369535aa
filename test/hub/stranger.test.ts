// The README's main job on a stranger's machine: no model folder anywhere near (the working folder
// is a temporary one, so no ../shared/models), an empty HOME, and the Hub replaced by a local
// stand-in (test/support/fake-hub.ts) serving the shared MiniLM as sentence-transformers/
// all-MiniLM-L6-v2 in the Hub's onnx/ layout. The default model is fetched once into the
// Hugging Face cache, then everything runs from it offline; a damaged blob is fetched again; a
// missing repo, a repo without ONNX and a download that breaks off each end in one line, with
// nothing half-written left where a load would use it. One fetch is shared by all the cases.
import assert from 'node:assert/strict';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { PROJECT_ROOT, runCli, startCli } from '../support/run-cli.ts';
import { miniLmHubFiles, startFakeHub, type FakeHub } from '../support/fake-hub.ts';

const REPO = 'sentence-transformers/all-MiniLM-L6-v2';
const iso = isolatedEnv('stranger');
const home = join(iso.dir, 'home');
const work = join(iso.dir, 'work');
const cache = join(home, '.cache', 'huggingface', 'hub');
const repoFolder = join(cache, 'models--sentence-transformers--all-MiniLM-L6-v2');
let hub: FakeHub;

/** The environment of someone who has set nothing but REDIS_URL (and HF_ENDPOINT, pointing at the stand-in). */
function strangerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const unset = { EMBEDLINE_MODEL: '', EMBEDLINE_MODELS_DIR: '', HF_HOME: '', HF_HUB_CACHE: '', HF_TOKEN: '', HF_HUB_OFFLINE: '', XDG_CACHE_HOME: '', EMBEDLINE_QUIET: '' };
  return { ...unset, ...iso.env, EMBEDLINE_DATA: join(work, 'embedline-data'), HOME: home, HF_ENDPOINT: hub.url, ...extra };
}

const embedline = (args: string[], extra?: NodeJS.ProcessEnv) => runCli(args, { cwd: work, env: strangerEnv(extra), timeoutMs: 240_000 });

/** The first hit's document of `search --json`. */
const topHit = (stdout: string) => (JSON.parse(stdout) as { hits: Array<{ documentId: string }> }).hits[0]?.documentId;

/** stderr's error lines: a failure is exactly one. */
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error: '));

before(async () => {
  mkdirSync(home, { recursive: true });
  mkdirSync(work, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'samples'), join(work, 'samples'), { recursive: true });
  const weights = join(iso.dir, 'model.safetensors');
  writeFileSync(weights, Buffer.alloc(2_000_000, 7));
  const minilm = miniLmHubFiles(MODEL_DIR, weights);
  const { 'onnx/model.onnx': _graph, 'onnx/model_quantized.onnx': _int8, ...withoutOnnx } = minilm;
  hub = await startFakeHub({ [REPO]: minilm, 'acme/pytorch-only': withoutOnnx, 'acme/flaky': minilm, 'acme/gated': minilm }, { 'acme/gated': 'hf_test_token' });
});

after(async () => {
  await hub?.close();
  await iso.cleanup();
});

test('the README main job: the default model is fetched once (progress logged), then ingest and search work', async () => {
  const ingest = await embedline(['ingest', 'samples/articles.csv', '--collection', 'articles', '--text-column', 'title,body', '--id-column', 'id', '--metadata-columns', 'category,year,author']);
  assert.equal(ingest.code, 0, ingest.stderr);
  assert.match(ingest.stderr, /"event":"model\.download"/, 'progress lines while downloading');
  const graphBytes = hub.served.get(`${REPO}/onnx/model.onnx`);
  assert.ok(graphBytes !== undefined && graphBytes > 90_000_000, `the graph was served once in full (${graphBytes})`);
  assert.equal(hub.served.get(`${REPO}/model.safetensors`), undefined, 'weights embedding does not read are not fetched');
  assert.equal(hub.served.get(`${REPO}/onnx/model_quantized.onnx`), undefined, 'only the asked precision');
  const commit = hub.commitOf(REPO);
  assert.ok(existsSync(join(repoFolder, 'snapshots', commit, 'onnx', 'model.onnx')), 'the standard cache layout');
  assert.equal(readdirSync(join(repoFolder, 'blobs')).filter((name) => name.endsWith('.incomplete')).length, 0);

  const search = await embedline(['search', 'how do stars produce energy', '--collection', 'articles', '--json']);
  assert.equal(search.code, 0, search.stderr);
  assert.equal(topHit(search.stdout), 'ast-001');
  assert.equal(hub.served.get(`${REPO}/onnx/model.onnx`), graphBytes, 'downloaded once');

  const fetchAgain = await embedline(['model', 'fetch', REPO]);
  assert.equal(fetchAgain.code, 0, fetchAgain.stderr);
  assert.match(fetchAgain.stdout, /already in the cache, intact: nothing downloaded/);
  assert.equal(hub.served.get(`${REPO}/onnx/model.onnx`), graphBytes, 'a second fetch downloads nothing');
});

test('HF_HUB_OFFLINE=1: search runs from the cache without a single request to the Hub', async () => {
  const seen = hub.requests.length;
  const search = await embedline(['search', 'black holes and event horizons', '--collection', 'articles', '--json'], { HF_HUB_OFFLINE: '1' });
  assert.equal(search.code, 0, search.stderr);
  assert.equal(topHit(search.stdout), 'ast-002');
  assert.deepEqual(hub.requests.slice(seen), []);
});

test('the collection records the model by Hub id and commit beside its checksum', async () => {
  const store = openStore({ dataDir: join(work, 'embedline-data') });
  try {
    const info = await store.describe('articles');
    assert.deepEqual(info?.spec.modelSource, { repo: REPO, revision: hub.commitOf(REPO), file: 'onnx/model.onnx' });
    assert.equal(info?.spec.model, 'all-MiniLM-L6-v2', 'the model name collections had before');
  } finally {
    await store.close();
  }
});

test("a worker started with another model embeds a collection's jobs with the collection's recorded model", async () => {
  // The int8 graph is this worker's own model; the collection below is built with the fp32 one.
  const worker = startCli(['worker', '--model', REPO, '--quantized', '--concurrency', '2'], { env: strangerEnv(), ready: /worker\.ready/, timeoutMs: 120_000 });
  try {
    await worker.ready;
    writeFileSync(join(work, 'notes.csv'), 'id,body\nn1,The sun fuses hydrogen into helium.\nn2,Violins have four strings.\n');
    const ingest = await embedline(['ingest', 'notes.csv', '--collection', 'notes', '--text-column', 'body', '--id-column', 'id', '--workers', '0']);
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.match(worker.output().stderr, /"event":"job\.completed".*"collection":"notes"/);
    const search = await embedline(['search', 'which instrument has strings', '--collection', 'notes', '--json'], { HF_HUB_OFFLINE: '1' });
    assert.equal(topHit(search.stdout), 'n2');
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
});

test('a damaged blob is noticed: refused offline in one line, fetched again online (a killed fetch\'s leftover removed)', async () => {
  const commit = hub.commitOf(REPO);
  const blobs = join(repoFolder, 'blobs');
  const graphBlob = readdirSync(blobs).find((name) => /^[0-9a-f]{64}$/.test(name)) as string;
  const fd = openSync(join(blobs, graphBlob), 'r+');
  writeSync(fd, Buffer.from('damage'), 0, 6, 1_000_000);
  closeSync(fd);

  const offline = await embedline(['search', 'stars', '--collection', 'articles'], { HF_HUB_OFFLINE: '1' });
  assert.equal(offline.code, 1);
  assert.deepEqual(errorLines(offline.stderr).length, 1, offline.stderr);
  // The configured id's copy and the collection's recorded one (the same commit) are the same damaged blob.
  assert.match(offline.stderr, /error: the cached onnx\/model\.onnx of sentence-transformers\/all-MiniLM-L6-v2(@[0-9a-f]{40})? is damaged .*embedline model fetch/);

  // What a fetch killed mid-file leaves behind (its temporary file, untouched for an hour) goes too.
  const abandoned = join(blobs, `${graphBlob}.0badf00d.incomplete`);
  writeFileSync(abandoned, 'half a graph');
  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(abandoned, anHourAgo, anHourAgo);
  const before = hub.served.get(`${REPO}/onnx/model.onnx`) ?? 0;
  const fetch = await embedline(['model', 'fetch', REPO]);
  assert.equal(fetch.code, 0, fetch.stderr);
  assert.match(fetch.stdout, new RegExp(`${REPO}@${commit}: downloaded 1 of \\d+ files`));
  assert.ok((hub.served.get(`${REPO}/onnx/model.onnx`) ?? 0) > before, 'the graph was served again');
  assert.equal(existsSync(abandoned), false, "a killed fetch's leftover is removed");
  const search = await embedline(['search', 'stars', '--collection', 'articles', '--json'], { HF_HUB_OFFLINE: '1' });
  assert.equal(search.code, 0, search.stderr);
});

test('a repo that does not exist: one line, nothing cached', async () => {
  const result = await embedline(['model', 'fetch', 'acme/no-such-model']);
  assert.equal(result.code, 1);
  assert.deepEqual(errorLines(result.stderr), [`error: model acme/no-such-model not found on ${hub.url} (HTTP 404): check the id and revision (a private or gated repository needs HF_TOKEN)`]);
  assert.equal(existsSync(join(cache, 'models--acme--no-such-model', 'snapshots')), false);
});

test('a gated repo: without HF_TOKEN one line saying so; with it, fetched', async () => {
  const refused = await embedline(['model', 'fetch', 'acme/gated', '--quantized']);
  assert.equal(refused.code, 1);
  assert.deepEqual(errorLines(refused.stderr), [`error: model acme/gated not found on ${hub.url} (HTTP 401): check the id and revision (a private or gated repository needs HF_TOKEN)`]);
  const fetched = await embedline(['model', 'fetch', 'acme/gated', '--quantized'], { HF_TOKEN: 'hf_test_token' });
  assert.equal(fetched.code, 0, fetched.stderr);
  assert.ok((hub.served.get('acme/gated/onnx/model_quantized.onnx') ?? 0) > 20_000_000, 'the token reached every request, file downloads included');
  assert.ok(!fetched.stdout.includes('hf_test_token') && !fetched.stderr.includes('hf_test_token'), 'the token is never printed');
});

test('a repo without an ONNX graph: one line with what it has and the export command', async () => {
  const result = await embedline(['ingest', 'samples/articles.csv', '--collection', 'pt', '--text-column', 'body', '--model', 'acme/pytorch-only']);
  assert.equal(result.code, 1);
  const lines = errorLines(result.stderr);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /acme\/pytorch-only has no ONNX graph .*it has model\.safetensors.*`embedline model export acme\/pytorch-only --out models\/pytorch-only`/);
});

test('a server that drops mid-file: one line, no partial file kept, nothing a load would use', async () => {
  hub.dropAfter('acme/flaky', 'onnx/model.onnx', 3_000_000);
  const result = await embedline(['model', 'fetch', 'acme/flaky']);
  assert.equal(result.code, 1);
  const lines = errorLines(result.stderr);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /download of acme\/flaky\/onnx\/model\.onnx from .* broke off after \d+ of 90\d{6} bytes/);
  const folder = join(cache, 'models--acme--flaky');
  assert.deepEqual(readdirSync(join(folder, 'blobs')).filter((name) => name.includes('incomplete') || /^[0-9a-f]{64}$/.test(name)), [], 'no partial or unchecked graph blob');
  assert.equal(existsSync(join(folder, 'refs', 'main')), false, 'the branch is not pointed at a half-fetched snapshot');
  const offline = await embedline(['model', 'inspect', 'acme/flaky'], { HF_HUB_OFFLINE: '1' });
  assert.equal(offline.code, 1);
  assert.match(errorLines(offline.stderr)[0] ?? '', /acme\/flaky is not in the local models folders nor the Hugging Face cache .* `embedline model fetch acme\/flaky`/);
});
