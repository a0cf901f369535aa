// A collection names its model by Hub id and commit, so a host that lacks it finds exactly that
// model: search embeds queries with the recorded model when the configured one differs (fetching
// it if need be), and a worker with another model refuses in one line naming the flags to use.
// The embedding endpoints answer to the served model's Hub id.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HubConfig } from '../../src/config.ts';
import { specForModel } from '../../src/contracts/collection-spec.ts';
import { loadModel } from '../../src/hub/resolve-model.ts';
import { EmbedlineError } from '../../src/errors.ts';
import type { CollectionCatalog } from '../../src/search/collection-catalog.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { EmbeddingTargets } from '../../src/serve/embedding-targets.ts';
import { assertWorkerCanEmbed } from '../../src/worker/spec-check.ts';
import { miniLmHubFiles, startFakeHub, type FakeHub } from '../support/fake-hub.ts';
import { MODEL_DIR } from '../support/model.ts';
import { isolatedEnv } from '../support/isolated-env.ts';

const REPO = 'sentence-transformers/all-MiniLM-L6-v2';
const iso = isolatedEnv('recorded-model');
let hub: FakeHub;
let settings: HubConfig;
/** A folder holding another model (MiniLM's int8 graph as its only model.onnx). */
const otherModel = join(iso.dir, 'other-model');

before(async () => {
  const weights = join(iso.dir, 'model.safetensors');
  writeFileSync(weights, 'x');
  hub = await startFakeHub({ [REPO]: miniLmHubFiles(MODEL_DIR, weights) });
  settings = { modelsDirs: [], cacheDir: join(iso.dir, 'cache'), endpoint: hub.url, offline: false };
  mkdirSync(join(otherModel, '1_Pooling'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json']) symlinkSync(join(MODEL_DIR, file), join(otherModel, file));
  symlinkSync(join(MODEL_DIR, 'model_int8.onnx'), join(otherModel, 'model.onnx'));
});

after(async () => {
  await hub?.close();
  await iso.cleanup();
});

test("the collection's recorded Hub model answers when the configured one is another; without it, one line naming it", async () => {
  const built = await loadModel(REPO, settings, { threads: 1 });
  const spec = specForModel(built.info, { chunkTokens: 128, overlap: 16 });
  const commit = hub.commitOf(REPO);
  assert.deepEqual(spec.modelSource, { repo: REPO, revision: commit, file: 'onnx/model.onnx' });

  const found = await new CollectionModels(otherModel, { threads: 1 }, settings).forSpec('docs', spec);
  assert.equal(found.info.checksum, spec.modelChecksum);
  assert.equal(found.info.dir, join(settings.cacheDir, 'models--sentence-transformers--all-MiniLM-L6-v2', 'snapshots', commit));

  const noConfiguredModel = await new CollectionModels(join(iso.dir, 'no-such-folder'), { threads: 1 }, settings).forSpec('docs', spec);
  assert.equal(noConfiguredModel.info.checksum, spec.modelChecksum, 'the recorded model answers when the configured one cannot load');
  await assert.rejects(new CollectionModels(join(iso.dir, 'no-such-folder'), { threads: 1 }).forSpec('docs', spec), { code: 'MODEL_DIR_MISSING' });

  await assert.rejects(new CollectionModels(otherModel, { threads: 1 }).forSpec('docs', spec), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'COLLECTION_MISMATCH');
    assert.match(err.message, new RegExp(`built with model ${REPO}@${commit} onnx/model\\.onnx \\(sha256 `));
    assert.ok(!err.message.includes('\n'));
    return true;
  });

  const other = await loadModel(otherModel, settings, { threads: 1 });
  assert.throws(() => assertWorkerCanEmbed(other.info, spec, 'docs'), new RegExp(`start the worker with that model \\(--model ${REPO}@${commit}\\)`));
});

test('the embedding endpoints take the served model by its Hub id as well as by its short name', async () => {
  const local: HubConfig = { ...settings, modelsDirs: [dirname(MODEL_DIR)], offline: true };
  const models = new CollectionModels(REPO, { threads: 1 }, local);
  const noCollections = { describe: async (name: string) => Promise.reject(new EmbedlineError('COLLECTION_MISSING', `collection "${name}" does not exist`)) };
  const targets = new EmbeddingTargets(models, noCollections as unknown as CollectionCatalog);
  const byId = await targets.resolve(REPO);
  const byName = await targets.resolve('all-MiniLM-L6-v2');
  assert.equal(byId.embedder, byName.embedder);
  assert.equal(byId.embedder.info.dir, MODEL_DIR, 'the local copy answers the id');
  await assert.rejects(targets.resolve('acme/other'), { code: 'MODEL_NOT_FOUND' });
});
