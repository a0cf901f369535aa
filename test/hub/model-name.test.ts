// How a model name is read (folder or Hub id), where the Hub settings come from (the variables
// huggingface_hub reads, in its order), and the local models folders' lookup.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_MODEL_ID, parseModelName } from '../../src/hub/model-name.ts';
import { localCopy } from '../../src/hub/resolve-model.ts';
import { cacheSnapshotSource } from '../../src/embed/model-files.ts';

test('a name is a Hub id unless it is a path or an existing folder; nothing named is the default id', () => {
  assert.deepEqual(parseModelName(undefined), { kind: 'hub', repo: DEFAULT_MODEL_ID });
  assert.deepEqual(parseModelName('BAAI/bge-small-en-v1.5'), { kind: 'hub', repo: 'BAAI/bge-small-en-v1.5' });
  assert.deepEqual(parseModelName('org/name@v1.0'), { kind: 'hub', repo: 'org/name', revision: 'v1.0' });
  assert.deepEqual(parseModelName('org/name@refs/pr/3'), { kind: 'hub', repo: 'org/name', revision: 'refs/pr/3' });
  assert.deepEqual(parseModelName('./org/name'), { kind: 'folder', dir: resolve('org/name') });
  assert.deepEqual(parseModelName('/models/minilm'), { kind: 'folder', dir: '/models/minilm' });
  assert.deepEqual(parseModelName('just-a-folder'), { kind: 'folder', dir: resolve('just-a-folder') });
  assert.deepEqual(parseModelName('a/b/c'), { kind: 'folder', dir: resolve('a/b/c') });
  assert.deepEqual(parseModelName('org/../name'), { kind: 'folder', dir: resolve('name') });
  // An existing folder spelled like an id is that folder (test/hub, from the project root: the tests' cwd).
  assert.deepEqual(parseModelName('test/hub'), { kind: 'folder', dir: resolve('test/hub') });
});

test("the Hub settings follow huggingface_hub's variables and order; unset, the default Hub and the home cache", () => {
  const none = { HF_HUB_CACHE: '', HF_HOME: '', XDG_CACHE_HOME: '', HF_ENDPOINT: '', HF_TOKEN: '', HF_HUB_OFFLINE: '', EMBEDLINE_MODELS_DIR: '' };
  assert.deepEqual(loadConfig(none).hub, {
    modelsDirs: [resolve('models'), resolve('../shared/models')],
    cacheDir: join(homedir(), '.cache', 'huggingface', 'hub'),
    endpoint: 'https://huggingface.co',
    token: undefined,
    offline: false,
  });
  assert.equal(loadConfig({ ...none, XDG_CACHE_HOME: '/x' }).hub.cacheDir, '/x/huggingface/hub');
  assert.equal(loadConfig({ ...none, XDG_CACHE_HOME: '/x', HF_HOME: '/h' }).hub.cacheDir, '/h/hub');
  assert.equal(loadConfig({ ...none, HF_HOME: '/h', HF_HUB_CACHE: '/c' }).hub.cacheDir, '/c');
  const set = loadConfig({ ...none, HF_ENDPOINT: 'https://hf-mirror.com/', HF_TOKEN: 'hf_x', HF_HUB_OFFLINE: '1', EMBEDLINE_MODELS_DIR: ['/a', 'b'].join(delimiter) }).hub;
  assert.deepEqual(set, { modelsDirs: ['/a', resolve('b')], cacheDir: join(homedir(), '.cache', 'huggingface', 'hub'), endpoint: 'https://hf-mirror.com', token: 'hf_x', offline: true });
  // HF_HUB_OFFLINE as huggingface_hub reads it: the same environment never means two things.
  for (const on of ['1', 'ON', 'yes', 'True']) assert.equal(loadConfig({ HF_HUB_OFFLINE: on }).hub.offline, true, on);
  for (const off of ['0', 'off', 'no', 'false', 'maybe']) assert.equal(loadConfig({ HF_HUB_OFFLINE: off }).hub.offline, false, off);
  assert.throws(() => loadConfig({ HF_ENDPOINT: 'mirror' }), /HF_ENDPOINT="mirror" must be a URL/);
});

test('local models folders: <dir>/<org>/<name> or <dir>/<name>, first folder first; a folder without config.json does not count', () => {
  const root = mkdtempSync(join(tmpdir(), 'embedline-local-models-'));
  try {
    const model = (path: string) => {
      mkdirSync(join(root, path), { recursive: true });
      writeFileSync(join(root, path, 'config.json'), '{}');
    };
    mkdirSync(join(root, 'one', 'all-MiniLM-L6-v2'), { recursive: true }); // empty: not a model
    model('two/all-MiniLM-L6-v2');
    model('three/sentence-transformers/all-MiniLM-L6-v2');
    const dirs = ['one', 'two', 'three'].map((d) => join(root, d));
    assert.equal(localCopy(DEFAULT_MODEL_ID, dirs), join(root, 'two', 'all-MiniLM-L6-v2'));
    assert.equal(localCopy(DEFAULT_MODEL_ID, [dirs[2], dirs[1]]), join(root, 'three', 'sentence-transformers', 'all-MiniLM-L6-v2'));
    assert.equal(localCopy('acme/other', dirs), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a cache snapshot folder names its repository and commit; other folders name nothing', () => {
  const commit = 'a'.repeat(40);
  assert.deepEqual(cacheSnapshotSource(`/c/hub/models--BAAI--bge-small-en-v1.5/snapshots/${commit}`), { repo: 'BAAI/bge-small-en-v1.5', revision: commit });
  assert.equal(cacheSnapshotSource('/work/shared/models/all-MiniLM-L6-v2'), undefined);
  assert.equal(cacheSnapshotSource(`/c/hub/datasets--x--y/snapshots/${commit}`), undefined);
});
