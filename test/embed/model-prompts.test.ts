// Prompts, proven against sentence-transformers itself: the tiny XLM-RoBERTa checkpoint
// (test/support/tiny-models.ts) declares E5-style prompts ({"query": "query: ", "document":
// "passage: "}) in its config_sentence_transformers.json, and its vectors through embedline equal
// SentenceTransformer(checkpoint).encode(texts, prompt_name=…) (min cosine ≥ 0.99999): through
// `embedline embed --prompt-name`, and through ingest (chunks get the document prompt) + search
// (the query gets the query prompt), where every score is sentence-transformers' cosine of the
// prompted query and the prompted document. A collection records its prompts: searching it with
// another query prompt, or ingesting into it with another document prompt, is refused in one line.
// The HTTP endpoints take TEI's `prompt_name` (/v1/embeddings, /embed): concurrent requests with
// different prompts each get their own prompt's vectors, and an unknown name is a 400 naming it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cosine } from '../../src/embed/vector-math.ts';
import { MIN_COSINE } from '../../src/export/export-proof.ts';
import { runProcess } from '../../src/export/python-process.ts';
import { openStoreOfKind } from '../../src/store/open-store.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { testSearchServers } from '../support/search-server.ts';
import { PROJECT_ROOT, runCli } from '../support/run-cli.ts';
import { sentenceTransformersEnv } from '../support/sentence-transformers-env.ts';
import { tinyModels, type TinyModels } from '../support/tiny-models.ts';

const iso = isolatedEnv('model-prompts');
const TEXTS = ['The lighthouse keeper trimmed the wick at dusk.', 'Sourdough rises because wild yeast ferments the dough.', 'Hello 世界, a mixed sentence with 3.14 in it.'];
const QUERY = 'who kept the lighthouse burning';
const ST_SCRIPT = join(PROJECT_ROOT, 'test', 'support', 'st_reference.py');

let models: TinyModels;
/** sentence-transformers' vectors of TEXTS then QUERY, by prompt name ('' = encode without prompt_name). */
let st: Record<'query' | 'document' | '', number[][]>;

before(async () => {
  const [tiny, env] = await Promise.all([tinyModels(), sentenceTransformersEnv()]);
  models = tiny;
  const textsFile = join(iso.dir, 'texts.json');
  writeFileSync(textsFile, JSON.stringify([...TEXTS, QUERY]));
  let line = '';
  const result = await runProcess(env.python, [ST_SCRIPT, models.checkpoints['xlm-roberta'], textsFile, 'query', 'document', ''], (l) => {
    if (l.startsWith('{')) line = l;
  });
  assert.equal(result.code, 0, result.tail.join('\n'));
  st = JSON.parse(line) as typeof st;
});
after(() => iso.cleanup());

function minCosine(actual: number[][], expected: number[][]): number {
  assert.equal(actual.length, expected.length);
  return Math.min(...actual.map((v, i) => cosine(Float32Array.from(v), Float32Array.from(expected[i]))));
}

async function embedCli(args: string[], name: string): Promise<number[][]> {
  const input = join(iso.dir, 'all.jsonl');
  writeFileSync(input, [...TEXTS, QUERY].map((t) => JSON.stringify(t)).join('\n') + '\n');
  const output = join(iso.dir, `${name}.jsonl`);
  const r = await runCli(['embed', '--model', models.exported['xlm-roberta'], '--input', input, '--output', output, '--threads', '1', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(output, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { vector: number[] }).vector);
}

test('embedline embed --prompt-name query / document equals sentence-transformers encode(prompt_name=…)', async () => {
  // The prompts change the vectors (else this test could not fail): the plain and prompted ones differ.
  assert.ok(minCosine(st.query, st['']) < 0.999, 'the query prompt changes sentence-transformers\' vectors');
  const figures: string[] = [];
  for (const [name, args] of [['query', ['--prompt-name', 'query']], ['document', ['--prompt-name', 'document']], ['', []], ['query', ['--prompt', 'query: ']]] as const) {
    const c = minCosine(await embedCli([...args], name || 'plain'), st[name]);
    assert.ok(c >= MIN_COSINE, `prompt ${JSON.stringify(name)} (${args.join(' ')}): min cosine to sentence-transformers ${c.toFixed(9)}, below ${MIN_COSINE}`);
    figures.push(`${args.join(' ') || 'no prompt'} 1 - ${(1 - c).toExponential(1)}`);
  }
  process.stderr.write(`prompt parity (xlm-roberta, mean, normalised), min cosine: ${figures.join('; ')}\n`);
  const r = await runCli(['embed', '--model', models.exported['xlm-roberta'], '--prompt-name', 'passage', '--input', join(iso.dir, 'all.jsonl'), '--output', join(iso.dir, 'never.jsonl')]);
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /prompt_name "passage" is not a prompt of model xlm-roberta \(its prompts: query, document\)/);
});

test('ingest + search: chunks get the document prompt, queries the query prompt; scores are sentence-transformers\' cosines', async () => {
  const csv = join(iso.dir, 'docs.csv');
  writeFileSync(csv, ['id,body', ...TEXTS.map((t, i) => `d${i},"${t}"`)].join('\n') + '\n');
  const model = models.exported['xlm-roberta'];
  const collection = 'prompted';
  const ingest = await runCli(['ingest', csv, '--collection', collection, '--model', model, '--text-column', 'body', '--id-column', 'id', '--json', '--no-progress'], { env: iso.env });
  assert.equal(ingest.code, 0, ingest.stderr);
  const store = openStoreOfKind('local', { dataDir: iso.dataDir });
  const info = await store.describe(collection).finally(() => store.close());
  assert.equal(info?.spec.queryPrompt, 'query: ');
  assert.equal(info?.spec.documentPrompt, 'passage: ');
  const listed = await runCli(['collections', '--json'], { env: iso.env });
  const row = (JSON.parse(listed.stdout) as { collections: Array<{ name: string; queryPrompt?: string; documentPrompt?: string }> }).collections.find((c) => c.name === collection);
  assert.deepEqual([row?.queryPrompt, row?.documentPrompt], ['query: ', 'passage: '], listed.stdout);

  const search = await runCli(['search', QUERY, '--collection', collection, '--model', model, '--k', String(TEXTS.length), '--json'], { env: iso.env });
  assert.equal(search.code, 0, search.stderr);
  const { hits } = JSON.parse(search.stdout) as { hits: Array<{ documentId: string; score: number }> };
  assert.equal(hits.length, TEXTS.length);
  const query = Float32Array.from(st.query[TEXTS.length]);
  let worst = 0;
  for (const hit of hits) {
    const expected = cosine(query, Float32Array.from(st.document[Number(hit.documentId.slice(1))]));
    worst = Math.max(worst, Math.abs(hit.score - expected));
    assert.ok(Math.abs(hit.score - expected) < 1e-5, `${hit.documentId}: score ${hit.score}, sentence-transformers cosine ${expected}`);
  }
  process.stderr.write(`prompt parity through ingest + search: largest score difference ${worst.toExponential(2)}\n`);

  // reindex re-embeds the stored chunks with the document prompt too: the scores stay sentence-transformers'.
  const reindex = await runCli(['reindex', '--collection', collection, '--model', model, '--grace-seconds', '0', '--json'], { env: iso.env });
  assert.equal(reindex.code, 0, reindex.stderr);
  const after = await runCli(['search', QUERY, '--collection', collection, '--model', model, '--k', String(TEXTS.length), '--json'], { env: iso.env });
  for (const hit of (JSON.parse(after.stdout) as { hits: Array<{ documentId: string; score: number }> }).hits) {
    const expected = cosine(query, Float32Array.from(st.document[Number(hit.documentId.slice(1))]));
    assert.ok(Math.abs(hit.score - expected) < 1e-5, `after reindex, ${hit.documentId}: score ${hit.score}, sentence-transformers cosine ${expected}`);
  }

  // Another query prompt than the recorded one is refused, as another pooling would be.
  const other = await runCli(['search', QUERY, '--collection', collection, '--model', model, '--query-prompt', ''], { env: iso.env });
  assert.notEqual(other.code, 0);
  assert.equal(other.stderr.trim().split('\n').length, 1, other.stderr);
  assert.match(other.stderr, /queryPrompt: collection has "query: ", requested ""/);
  // So is writing chunks embedded with another document prompt.
  const again = await runCli(['ingest', csv, '--collection', collection, '--model', model, '--text-column', 'body', '--id-column', 'id', '--document-prompt', 'document: ', '--no-progress'], { env: iso.env });
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /documentPrompt: collection has "passage: ", requested "document: "/);
});

test('eval compare --prompts both compares the model with and without its prompts', async () => {
  const sts = join(iso.dir, 'sts-20.csv');
  writeFileSync(sts, readFileSync(join(PROJECT_ROOT, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv'), 'utf8').split('\n').slice(0, 20).join('\n') + '\n');
  const r = await runCli(['eval', 'compare', sts, '--model', models.exported['xlm-roberta'], '--poolings', 'mean', '--prompts', 'both', '--threads', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const { variants } = JSON.parse(r.stdout) as { variants: Array<{ pooling: string; prompts: boolean; spearman: number }> };
  assert.deepEqual(variants.map((v) => [v.pooling, v.prompts]), [['mean', true], ['mean', false]]);
  assert.notEqual(variants[0].spearman, variants[1].spearman, 'the prompt changes the vectors, so the scores');
  const bad = await runCli(['eval', 'compare', sts, '--model', models.exported['xlm-roberta'], '--prompts', 'sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--prompts must be one of on, off, both, got "sometimes"/);
});

test('/v1/embeddings and /embed take prompt_name as TEI does; concurrent requests with different prompts never mix', async () => {
  const servers = testSearchServers(iso, models.exported['xlm-roberta']);
  try {
    const app = await servers.server();
    const openai = (prompt_name?: string | null) => app.inject({ method: 'POST', url: '/v1/embeddings', payload: { model: 'xlm-roberta', input: [...TEXTS, QUERY], ...(prompt_name === undefined ? {} : { prompt_name }) } });
    const tei = (prompt_name?: string) => app.inject({ method: 'POST', url: '/embed', payload: { inputs: [...TEXTS, QUERY], ...(prompt_name === undefined ? {} : { prompt_name }) } });
    // All at once: the server's run queue may batch them together, but never across prompts.
    const [query, document, plain, nulled, teiQuery, teiDocument, teiPlain] = await Promise.all([openai('query'), openai('document'), openai(), openai(null), tei('query'), tei('document'), tei()]);
    const vectorsOf = (res: typeof query) => (res.json() as { data: Array<{ embedding: number[] }> }).data.map((d) => d.embedding);
    const figures: string[] = [];
    for (const [what, res, vectors, expected] of [
      ['/v1/embeddings query', query, () => vectorsOf(query), st.query],
      ['/v1/embeddings document', document, () => vectorsOf(document), st.document],
      ['/v1/embeddings no prompt_name', plain, () => vectorsOf(plain), st['']],
      ['/v1/embeddings prompt_name null', nulled, () => vectorsOf(nulled), st['']],
      ['/embed query', teiQuery, () => teiQuery.json() as number[][], st.query],
      ['/embed document', teiDocument, () => teiDocument.json() as number[][], st.document],
      ['/embed no prompt_name', teiPlain, () => teiPlain.json() as number[][], st['']],
    ] as const) {
      assert.equal(res.statusCode, 200, `${what}: ${res.body}`);
      const c = minCosine(vectors(), expected);
      assert.ok(c >= MIN_COSINE, `${what}: min cosine to sentence-transformers ${c}`);
      figures.push(`${what} 1 - ${(1 - c).toExponential(1)}`);
    }
    process.stderr.write(`prompt parity over HTTP: ${figures.join('; ')}\n`);
    for (const res of [await openai('passage'), await tei('passage')]) {
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /prompt_name ..passage.. is not a prompt of model xlm-roberta \(its prompts: query, document\)/, "the JSON body escapes the quotes around the name");
    }
  } finally {
    await servers.close();
  }
});
