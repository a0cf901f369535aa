// `embedline model export ORG/NAME`: the checkpoint fetched from the Hub by Python's huggingface_hub
// (here from the Hub stand-in, test/support/fake-hub.ts, via HF_ENDPOINT, into a fresh
// HF_HUB_CACHE), exported and proven. Only configs, tokenizer files and the weights are fetched, and
// the graphs are byte for byte those exported from the same checkpoint as a local folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportedMinilm, HUB_REPO, hubRequests } from '../support/exported-minilm.ts';

test('a Hub id is fetched (configs, tokenizer, weights; no ONNX), exported and proven, equal to the local export', async (t) => {
  const local = await exportedMinilm();
  const { dir, report, seconds, exported } = await exportedMinilm('hub');
  t.diagnostic(`${exported ? 'exported' : 'cached export reused'} in ${seconds.toFixed(1)} s`);
  assert.equal(report.source, HUB_REPO);
  const { commit, fetched, progress } = hubRequests(dir);
  // Progress while fetching: a line per file, counting up to all of them.
  assert.equal(progress[0], `export: fetching ${HUB_REPO} from the Hub (configs, tokenizer, weights)`);
  assert.equal(progress.at(-1), `export: fetched ${fetched.length}/${fetched.length} files`);
  assert.match(report.resolvedSource, new RegExp(`models--sentence-transformers--all-MiniLM-L6-v2[/\\\\]snapshots[/\\\\]${commit}$`));
  for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'modules.json', '1_Pooling/config.json']) assert.ok(fetched.includes(file), `${file} fetched`);
  assert.ok(!fetched.some((file) => file.endsWith('.onnx') || file.endsWith('.md')), `fetched only what export needs: ${fetched.join(', ')}`);
  assert.equal(report.proof.passed, true, report.proof.failures.join('; '));
  assert.deepEqual(report.sha256, local.report.sha256);
});
