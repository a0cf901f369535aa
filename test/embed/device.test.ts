// The execution device: --device / EMBEDLINE_DEVICE pick onnxruntime's provider. No GPU here, so
// what is tested is the refusal (cuda without its provider files: one line naming the install
// command, at start, no fall-back to CPU), the option plumbing from flag and environment to the
// session, and that cpu, the default, embeds as before.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { CUDA_INSTALL_COMMAND, executionProviders, onnxruntimeBinaryDir, requireDevice } from '../../src/embed/device.ts';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { cosine } from '../../src/embed/vector-math.ts';
import { MODEL_DIR } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedline-device-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const input = join(dir, 'texts.jsonl');
writeFileSync(input, '"a lighthouse at dusk"\n"灯塔"\n');

function embedArgs(output: string, ...extra: string[]): string[] {
  return ['embed', '--model', MODEL_DIR, '--input', input, '--output', output, '--threads', '1', ...extra];
}

test('each device is its provider alone: nothing to fall back to', () => {
  assert.deepEqual(executionProviders('cpu'), ['cpu']);
  assert.deepEqual(executionProviders('cuda'), ['cuda']);
});

test('cuda is refused without its provider file, on another platform, and accepted once the file is there', () => {
  const binaries = mkdtempSync(join(dir, 'bin-'));
  assert.throws(() => requireDevice('cuda', binaries, 'linux-x64'), (err: Error) => err.message.includes(CUDA_INSTALL_COMMAND) && !err.message.includes('\n'));
  assert.throws(() => requireDevice('cuda', binaries, 'darwin-arm64'), /Linux x64 only, not on darwin-arm64/);
  writeFileSync(join(binaries, 'libonnxruntime_providers_cuda.so'), '');
  assert.doesNotThrow(() => requireDevice('cuda', binaries, 'linux-x64'));
  assert.doesNotThrow(() => requireDevice('cpu', binaries, 'darwin-arm64'));
});

test('--device cuda and EMBEDLINE_DEVICE=cuda fail at start in one line naming the install command; no output written', async (t) => {
  if (process.platform === 'linux' && process.arch === 'x64') {
    // The refusal below is the point; on a machine with the GPU files this test says nothing.
    const installed = (() => {
      try {
        requireDevice('cuda');
        return true;
      } catch {
        return false;
      }
    })();
    if (installed) return t.skip(`CUDA provider files are installed in ${onnxruntimeBinaryDir()}`);
  }
  const output = join(dir, 'never.jsonl');
  for (const run of [runCli(embedArgs(output, '--device', 'cuda')), runCli(embedArgs(output), { env: { EMBEDLINE_DEVICE: 'cuda' } })]) {
    const r = await run;
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /device cuda: .*not installed.*ONNXRUNTIME_NODE_INSTALL=cuda12/);
    assert.throws(() => readFileSync(output), /ENOENT/);
  }
  // The library refuses the same way.
  await assert.rejects(loadEmbedder(MODEL_DIR, { device: 'cuda', threads: 1 }), /device cuda/);
});

test('--device cuda is refused at start by every command that loads a model, before its source, Redis or store', async (t) => {
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      requireDevice('cuda');
      return t.skip(`CUDA provider files are installed in ${onnxruntimeBinaryDir()}`);
    } catch {
      // Not installed: the refusal is what is tested.
    }
  }
  const missing = join(dir, 'missing');
  // Sources, collections and queries that do not exist: the device is refused before any is looked at.
  const commands = [
    ['embed', '--input', join(missing, 'in.jsonl'), '--output', join(missing, 'out.jsonl')],
    ['ingest', join(missing, 'docs.csv'), '--collection', 'c'],
    ['worker'],
    ['search', 'a query', '--collection', 'c'],
    ['serve', '--port', '0'],
    ['reindex', '--collection', 'c'],
    ['eval', 'sts', join(missing, 'sts.csv')],
    ['eval', 'retrieval', '--collection', 'c', '--queries', join(missing, 'q.jsonl')],
    ['eval', 'compare', join(missing, 'sts.csv')],
  ];
  // Two at a time: each is a Node start, and a command that did not refuse (serve, worker) would run until the bound.
  const results: Array<{ args: string[]; code: number | null; stderr: string }> = [];
  for (let i = 0; i < commands.length; i += 2) {
    const pair = commands.slice(i, i + 2);
    results.push(
      ...(await Promise.all(
        pair.map(async (args) => ({ args, ...(await runCli([...args, '--device', 'cuda'], { env: { REDIS_URL: 'redis://127.0.0.1:1' }, timeoutMs: 30_000 })) })),
      )),
    );
  }
  // EMBEDLINE_DEVICE=cuda is refused the same way.
  results.push({ args: ['search (EMBEDLINE_DEVICE)'], ...(await runCli(['search', 'q', '--collection', 'c'], { env: { EMBEDLINE_DEVICE: 'cuda', REDIS_URL: 'redis://127.0.0.1:1' }, timeoutMs: 30_000 })) });
  for (const { args, code, stderr } of results) {
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${args.join(' ')}: ${stderr}`);
    assert.match(lines[0], /^error: device cuda: .*not installed.*ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules\/onnxruntime-node\/script\/install/, args.join(' '));
  }
});

test('a device that is not one is refused by name, from the flag and from the environment', async () => {
  const flag = await runCli(embedArgs(join(dir, 'x.jsonl'), '--device', 'gpu'));
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--device must be one of cpu, cuda, got "gpu"/);
  const env = await runCli(embedArgs(join(dir, 'x.jsonl')), { env: { EMBEDLINE_DEVICE: 'gpu' } });
  assert.equal(env.code, 2);
  assert.match(env.stderr, /EMBEDLINE_DEVICE/);
  assert.equal(loadConfig({ EMBEDLINE_DEVICE: 'cuda' }).inference.device, 'cuda');
});

test('--device cpu embeds exactly as the default does', async () => {
  const vectors = async (...extra: string[]) => {
    const output = join(dir, `v${extra.length}.jsonl`);
    const r = await runCli(embedArgs(output, ...extra));
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(output, 'utf8').trim().split('\n').map((l) => Float32Array.from((JSON.parse(l) as { vector: number[] }).vector));
  };
  const [cpu, plain] = [await vectors('--device', 'cpu'), await vectors()];
  cpu.forEach((v, i) => assert.ok(cosine(v, plain[i]) > 0.999999));
});
