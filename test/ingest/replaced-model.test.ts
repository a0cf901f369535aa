// A collection embedded by a model file that has since been replaced (the shared int8 file was
// re-quantised per channel on 2026-11-28) must be refused, never searched or extended with
// vectors that do not compare: every path names both checksums and says how to re-embed, and
// `embedline reindex` is that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specForModel, type CollectionSpec } from '../../src/contracts/collection-spec.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { openStore } from '../../src/store/open-store.ts';
import { assertWorkerCanEmbed } from '../../src/worker/spec-check.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testEmbedder } from '../support/model.ts';
import { runCli } from '../support/run-cli.ts';
import { sampleArticles, upsertArticles } from '../support/sample-collection.ts';

/**
 * The sha256 of the per-tensor int8 file the shared folder held until 2026-11-28. Reproduced here
 * (same first bytes, abf2bf87…, as the model README records) with onnxruntime 1.32's
 * `quantize_dynamic(model.onnx, weight_type=QInt8, per_channel=False)`.
 */
const OLD_INT8_CHECKSUM = 'abf2bf87e05c94eb5dc7200d9eebc38954c1400f660c3ddf590b12efdcf245f6';
const NEW_INT8 = /3bc5a979b5ce/;
const OLD_INT8 = /abf2bf87e05c/;

async function legacySpec(): Promise<CollectionSpec> {
  const int8 = await testEmbedder({ quantized: true });
  const settings = resolveChunkSettings({ maxTokens: int8.info.maxTokens, specialTokenCount: int8.tokenizer.specialTokenCount });
  return { ...specForModel(int8.info, settings), modelChecksum: OLD_INT8_CHECKSUM };
}

test('a collection recorded with the old int8 checksum is refused on query and write, then reindex moves it to the new file', async (t) => {
  const iso = isolatedEnv('replaced-model');
  t.after(() => iso.cleanup());
  const store = openStore({ dataDir: iso.dataDir });
  const articles = sampleArticles().slice(0, 6);
  await store.ensureCollection('legacy', await legacySpec());
  await upsertArticles(store, 'legacy', articles);

  // Query: no model in the folder has the recorded checksum, so no vector is compared.
  const query = await runCli(['search', 'how do stars shine', '--collection', 'legacy', '--json'], { env: iso.env });
  assert.equal(query.code, 1, query.stderr);
  assert.equal(query.stdout, '');
  const queryError = query.stderr.trim();
  assert.equal(queryError.split('\n').length, 1, queryError);
  assert.match(queryError, OLD_INT8);
  assert.match(queryError, NEW_INT8);
  assert.match(queryError, /embedline reindex --collection legacy/);

  // Write: ingest with the new int8 file is refused before anything is queued or stored.
  const csv = join(iso.dir, 'more.csv');
  writeFileSync(csv, 'id,body\nn1,A new document about comets.\n');
  const write = await runCli(['ingest', csv, '--collection', 'legacy', '--quantized', '--text-column', 'body', '--id-column', 'id', '--no-progress'], { env: iso.env });
  assert.equal(write.code, 1, write.stderr);
  const writeError = write.stderr.trim().split('\n').filter((line) => !line.startsWith('{')).join('\n');
  assert.match(writeError, /COLLECTION_MISMATCH|built differently/);
  assert.match(writeError, OLD_INT8);
  assert.match(writeError, NEW_INT8);
  assert.match(writeError, /embedline reindex --collection legacy/);
  assert.equal(await store.count('legacy'), articles.length, 'nothing written by the refused ingest');

  // The documented fix: re-embed with the model at hand; afterwards queries work and use it.
  const reindex = await runCli(['reindex', '--collection', 'legacy', '--quantized', '--grace-seconds', '0', '--json'], { env: iso.env });
  assert.equal(reindex.code, 0, reindex.stderr);
  const fixed = await runCli(['search', 'how do stars shine', '--collection', 'legacy', '--json'], { env: iso.env });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(JSON.parse(fixed.stdout).hits.length, articles.length);
  const info = await openStore({ dataDir: iso.dataDir }).describe('legacy');
  assert.match(info?.spec.modelChecksum ?? '', /^3bc5a979b5ce/);
});

test('a worker running the new int8 file refuses jobs of an old-int8 collection, naming both checksums and reindex', async () => {
  const int8 = await testEmbedder({ quantized: true });
  const spec = await legacySpec();
  assert.throws(() => assertWorkerCanEmbed(int8.info, spec, 'legacy'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'COLLECTION_MISMATCH');
    assert.match(err.message, OLD_INT8);
    assert.match(err.message, NEW_INT8);
    assert.match(err.message, /embedline reindex --collection legacy/);
    return true;
  });
});
