// Every encoder family embedline runs, proven against PyTorch without the Hub: tiny random-weight
// BERT (with and without pooler), XLM-RoBERTa (Unigram tokenizer), MPNet and DistilBERT checkpoints
// made by transformers from a config and exported with `embedline model export`
// (test/support/tiny-models.ts). What the graph has decides what is fed (token_type_ids only when
// it is an input) and which poolings exist (pooler only with pooler_output, refused otherwise in one
// line). Parity (min cosine ≥ 0.99999 for every pooling the model has) is checked through the
// export's proof and `embedline embed` (every family, every pooling), ingest + search (XLM-RoBERTa
// and DistilBERT), and /v1/embeddings (every family, its own pooling).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadEmbedder } from '../../src/embed/embedder.ts';
import { POOLINGS, type Pooling } from '../../src/embed/pooling.ts';
import { cosine, l2Normalize } from '../../src/embed/vector-math.ts';
import { MIN_COSINE } from '../../src/export/export-proof.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { PROJECT_ROOT, runCli } from '../support/run-cli.ts';
import { testSearchServers } from '../support/search-server.ts';
import { EXPECTED, FAMILIES, pytorchVectors, tinyModels, type Family, type PytorchVectors, type TinyModels } from '../support/tiny-models.ts';

const iso = isolatedEnv('model-families');
const TEXTS = ['The lighthouse keeper trimmed the wick at dusk.', '灯塔的历史就是沿海贸易的历史。', 'Hello 世界, a mixed sentence with 3.14 in it.'];
const QUERY = 'who kept the lighthouse burning';

let models: TinyModels;
const reference = new Map<Family, PytorchVectors>();

before(async () => {
  models = await tinyModels();
  await Promise.all(FAMILIES.map(async (f) => reference.set(f, await pytorchVectors(models, f, [...TEXTS, QUERY], iso.dir))));
});
after(() => iso.cleanup());

function poolingsOf(family: Family): Pooling[] {
  return POOLINGS.filter((p) => p !== 'pooler' || EXPECTED[family].pooler);
}

/** PyTorch's vector of text i in the model's default pooling, normalised as the model asks. */
async function expectedDefault(family: Family, i: number): Promise<number[]> {
  const embedder = await loadEmbedder(models.exported[family], { threads: 1 });
  const vector = Float32Array.from(reference.get(family)![i][embedder.info.defaultPooling]!);
  return Array.from(embedder.info.normalize ? l2Normalize(vector) : vector);
}

function assertParity(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): number {
  const c = cosine(Float32Array.from(actual), Float32Array.from(expected));
  assert.ok(c >= MIN_COSINE, `${what}: cosine to PyTorch ${c.toFixed(7)}, below ${MIN_COSINE}`);
  return c;
}

describe('the exported graph of each family', () => {
  for (const family of FAMILIES) {
    test(`${family}: inputs and outputs as the architecture has them; the export's proof holds for every pooling`, () => {
      const report = models.reports[family];
      assert.equal(report.inputs.includes('token_type_ids'), EXPECTED[family].tokenTypeIds, `inputs ${report.inputs.join(', ')}`);
      assert.equal(report.outputs.includes('pooler_output'), EXPECTED[family].pooler, `outputs ${report.outputs.join(', ')}`);
      assert.deepEqual(Object.keys(report.proof.fp32).sort(), poolingsOf(family).sort());
      for (const [pooling, agreement] of Object.entries(report.proof.fp32)) {
        assert.ok(agreement.minCosine >= MIN_COSINE, `${family} ${pooling}: ${agreement.minCosine}`);
      }
      process.stderr.write(`${family}: ${Object.entries(report.proof.fp32).map(([p, a]) => `${p} ${a.minCosine.toFixed(9)}`).join(', ')}\n`);
    });
  }
});

describe('embedline embed, every pooling the graph has', () => {
  for (const family of FAMILIES) {
    test(`${family}: vectors equal PyTorch's`, async () => {
      // Every pooling through the library's embedder (what the CLI runs), then the CLI itself once.
      const embedder = await loadEmbedder(models.exported[family], { threads: 1 });
      for (const pooling of poolingsOf(family)) {
        const { vectors } = await embedder.embed(TEXTS, { pooling, normalize: false });
        vectors.forEach((v, i) => assertParity(v, reference.get(family)![i][pooling]!, `${family} ${pooling} text ${i}`));
      }
      const input = join(iso.dir, `${family}-texts.jsonl`);
      const output = join(iso.dir, `${family}-vectors.jsonl`);
      writeFileSync(input, TEXTS.map((t) => JSON.stringify(t)).join('\n') + '\n');
      const r = await runCli(['embed', '--model', models.exported[family], '--input', input, '--output', output, '--threads', '1']);
      assert.equal(r.code, 0, r.stderr);
      const vectors = readFileSync(output, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { vector: number[] }).vector);
      for (const [i, v] of vectors.entries()) assertParity(v, await expectedDefault(family, i), `${family} embed text ${i}`);
    });
  }

  test('pooling "pooler" on a graph without pooler_output is refused in one line, before any text is embedded', async () => {
    for (const family of FAMILIES.filter((f) => !EXPECTED[f].pooler)) {
      const embedder = await loadEmbedder(models.exported[family], { threads: 1 });
      assert.throws(() => embedder.requirePooling('pooler'), (err: Error & { code?: string }) => err.code === 'POOLING_UNSUPPORTED' && /pooler_output/.test(err.message));
      const input = join(iso.dir, 'one.jsonl');
      writeFileSync(input, '"a text"\n');
      const r = await runCli(['embed', '--model', models.exported[family], '--pooling', 'pooler', '--input', input, '--output', join(iso.dir, 'never.jsonl'), '--threads', '1']);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /no pooler_output output .*use cls, mean or max/);
    }
    // Ingest refuses it once, before queuing, not in every job a worker takes.
    const csv = join(iso.dir, 'pooler.csv');
    writeFileSync(csv, 'id,body\nd0,a text\n');
    const ingest = await runCli(['ingest', csv, '--collection', 'pooler-refused', '--model', models.exported['bert-no-pooler'], '--pooling', 'pooler', '--text-column', 'body', '--id-column', 'id', '--no-progress'], { env: iso.env });
    assert.equal(ingest.code, 2, ingest.stderr);
    // One error line (beside ingest's info log lines), not one per job.
    const errors = ingest.stderr.split('\n').filter((line) => line.startsWith('error:'));
    assert.equal(errors.length, 1, ingest.stderr);
    assert.match(errors[0], /no pooler_output output/);
  });
});

// Two families keep the file's run time down: the two that share least with BERT (a Unigram
// tokenizer and <s>…</s>; DistilBERT's config and no token_type_ids).
describe('ingest + search: scores are PyTorch cosines', () => {
  for (const family of ['xlm-roberta', 'distilbert'] as const) {
    test(`${family}`, async () => {
      const csv = join(iso.dir, `${family}.csv`);
      writeFileSync(csv, ['id,body', ...TEXTS.map((t, i) => `d${i},"${t}"`)].join('\n') + '\n');
      const collection = `family-${family}`;
      const model = models.exported[family];
      // Without the model's prompts (XLM-RoBERTa's E5-style ones): PyTorch's reference has none. Prompts: model-prompts.test.ts.
      const ingest = await runCli(['ingest', csv, '--collection', collection, '--model', model, '--text-column', 'body', '--id-column', 'id', '--query-prompt', '', '--document-prompt', '', '--json', '--no-progress'], { env: iso.env });
      assert.equal(ingest.code, 0, ingest.stderr);
      const search = await runCli(['search', QUERY, '--collection', collection, '--model', model, '--k', String(TEXTS.length), '--json'], { env: iso.env });
      assert.equal(search.code, 0, search.stderr);
      const { hits } = JSON.parse(search.stdout) as { hits: Array<{ documentId: string; score: number }> };
      assert.equal(hits.length, TEXTS.length);
      const query = await expectedDefault(family, TEXTS.length);
      for (const hit of hits) {
        const doc = await expectedDefault(family, Number(hit.documentId.slice(1)));
        const expected = cosine(Float32Array.from(query), Float32Array.from(doc));
        assert.ok(Math.abs(hit.score - expected) < 1e-5, `${family} ${hit.documentId}: score ${hit.score}, PyTorch cosine ${expected}`);
      }
    });
  }
});

test('eval compare with no --poolings compares the poolings each graph gives (pooler only with pooler_output)', async () => {
  const sts = join(iso.dir, 'sts-20.csv');
  writeFileSync(sts, readFileSync(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), 'utf8').split('\n').slice(0, 20).join('\n') + '\n');
  for (const family of ['bert-pooler', 'distilbert'] as const) {
    const r = await runCli(['eval', 'compare', sts, '--model', models.exported[family], '--threads', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const { variants } = JSON.parse(r.stdout) as { variants: Array<{ pooling: string }> };
    assert.deepEqual(variants.map((v) => v.pooling), poolingsOf(family));
  }
});

describe('/v1/embeddings', () => {
  for (const family of FAMILIES) {
    test(`${family}: vectors equal PyTorch's (the model's own pooling and normalisation)`, async () => {
      const servers = testSearchServers(iso, models.exported[family]);
      try {
        const app = await servers.server();
        const res = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: basename(models.exported[family]), input: TEXTS } });
        assert.equal(res.statusCode, 200, res.body);
        const data = (res.json() as { data: Array<{ embedding: number[]; index: number }> }).data;
        for (const row of data) assertParity(row.embedding, await expectedDefault(family, row.index), `${family} text ${row.index}`);
      } finally {
        await servers.close();
      }
    });
  }
});
