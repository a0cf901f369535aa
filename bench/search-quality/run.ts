// bench/search-quality: dense, keyword and hybrid search side by side in one run, on the sets of
// sets.ts and keyword-set.ts. Each corpus is ingested by the library's ingest() (the real chunker,
// an in-process worker on real Redis, the embedded LanceDB store in a scratch folder); every query
// goes through SearchService, the path `embedline search` and the HTTP API take, scored with the
// metrics of `eval retrieval` (recall@1/5, MRR@10, nDCG@10 over documents). Latency: single-query
// searches as the CLI makes them (embedding included; keyword embeds nothing), the three modes
// interleaved query by query so the machine's load falls on all of them alike; p50 and p99.
//
//   node --import tsx bench/search-quality/run.ts [--keyword-limit 100] [--latency-rounds 2] [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SEARCH_MODES, type SearchMode } from '../../src/contracts/search-mode.ts';
import { fuseByRank, fusionDepth } from '../../src/store/rank-fusion.ts';
import { rankBySearch } from '../../src/core/retrieval-compare.ts';
import { CHUNKS_PER_QUERY, evaluateRetrieval, type RetrievalMetrics } from '../../src/eval/retrieval.ts';
import { ingest } from '../../src/index.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { SearchService } from '../../src/search/search-service.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { openQdrantStore } from '../../src/store/qdrant/qdrant-store.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { startQdrantStandin, type QdrantStandin } from '../../test/support/qdrant-standin.ts';
import { deleteRedisKeys } from '../../test/support/isolated-env.ts';
import { MODEL_DIR } from '../../test/support/model.ts';
import { keywordQueries } from './keyword-set.ts';
import { articlesCorpusAndQueries, PROJECT_ROOT, stsCorpusAndQueries, type Corpus, type QuerySet } from './sets.ts';

const { values: args } = parseArgs({
  options: {
    'keyword-limit': { type: 'string', default: '100' },
    'latency-rounds': { type: 'string', default: '2' },
    out: { type: 'string', default: join(PROJECT_ROOT, 'bench', 'search-quality', 'last-run.md') },
  },
});
const KEYWORD_LIMIT = Number(args['keyword-limit']);
const LATENCY_ROUNDS = Number(args['latency-rounds']);

interface ModeResult extends RetrievalMetrics {
  store: string;
  set: string;
  mode: SearchMode;
  /** Per query: is an expected document ranked first? */
  firstRight: boolean[];
}

async function ingestCorpus(store: VectorStore, scratch: string, corpus: Corpus, queuePrefix: string): Promise<number> {
  const file = join(scratch, `${corpus.name}.jsonl`);
  writeFileSync(file, corpus.docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const started = performance.now();
  const summary = await ingest(file, { collection: corpus.name, textFields: ['text'], idField: 'id', model: MODEL_DIR, store, queuePrefix, workers: 1 });
  const seconds = (performance.now() - started) / 1000;
  console.error(`ingested ${corpus.name}: ${summary.added} documents, ${summary.chunks} chunks in ${seconds.toFixed(1)} s`);
  return summary.chunks;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Single-query searches (k = 10), the modes interleaved per query; milliseconds per mode. */
async function latencies(service: SearchService, collection: string, queries: string[]): Promise<Record<SearchMode, number[]>> {
  const times: Record<SearchMode, number[]> = { dense: [], keyword: [], hybrid: [] };
  for (const mode of SEARCH_MODES) await service.search(collection, queries[0], { mode }); // warm up
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const query of queries) {
      for (const mode of SEARCH_MODES) {
        const started = performance.now();
        await service.search(collection, query, { k: 10, mode });
        times[mode].push(performance.now() - started);
      }
    }
  }
  for (const mode of SEARCH_MODES) times[mode].sort((a, b) => a - b);
  return times;
}

const f3 = (x: number) => x.toFixed(3);
/** Weights of the keyword list against dense's 1 in the sweep (1: what hybrid search does). */
const SWEEP_WEIGHTS = [1, 0.75, 0.5, 0.25, 0.1];

/**
 * Hybrid with the keyword list weighted down: the dense and keyword lists hybrid search fuses (same
 * depth), fused here by the same function with weights, so weight 1 reproduces hybrid exactly.
 */
async function weightSweep(service: SearchService, set: QuerySet): Promise<Array<{ weight: number; metrics: RetrievalMetrics }>> {
  const queries = set.queries.map((q) => q.query);
  const depth = fusionDepth(CHUNKS_PER_QUERY);
  const dense = await service.search(set.corpus.name, queries, { k: depth, mode: 'dense' });
  const keyword = await service.search(set.corpus.name, queries, { k: depth, mode: 'keyword' });
  const out = [];
  for (const weight of SWEEP_WEIGHTS) {
    const ranked = queries.map((_, i) => fuseByRank([dense[i].hits, keyword[i].hits], CHUNKS_PER_QUERY, undefined, [1, weight]).map((h) => h.documentId));
    out.push({ weight, metrics: await evaluateRetrieval(set.queries, async () => ranked) });
  }
  return out;
}

function versusDense(r: ModeResult, all: ModeResult[]): string {
  if (r.mode === 'dense') return '';
  const dense = all.find((d) => d.store === r.store && d.set === r.set && d.mode === 'dense') as ModeResult;
  const won = r.firstRight.filter((right, i) => right && !dense.firstRight[i]).length;
  const lost = r.firstRight.filter((right, i) => !right && dense.firstRight[i]).length;
  return `+${won} / −${lost}`;
}

/** Each set scored in each mode on one store (its collections ingested first). */
async function scoreOn(storeName: string, store: VectorStore, service: SearchService, sets: QuerySet[], ingestAll: () => Promise<void>): Promise<ModeResult[]> {
  await ingestAll();
  const results: ModeResult[] = [];
  for (const set of sets) {
    for (const mode of SEARCH_MODES) {
      const ranked = await rankBySearch(service, set.corpus.name, mode)(set.queries.map((q) => q.query));
      const metrics = await evaluateRetrieval(set.queries, async () => ranked);
      const firstRight = set.queries.map((q, i) => q.expected.includes(ranked[i][0]));
      results.push({ store: storeName, set: set.name, mode, ...metrics, firstRight });
      console.error(`${storeName} ${set.name} ${mode}: recall@1 ${f3(metrics.recallAt1)} MRR@10 ${f3(metrics.mrrAt10)}`);
    }
  }
  return results;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'embedline-search-quality-'));
  const queuePrefix = `bench-search-quality-${process.pid}`;
  const models = new CollectionModels(MODEL_DIR);
  const store = openLocalStore(join(scratch, 'data'));
  const service = new SearchService(store, models);
  let standin: QdrantStandin | undefined;
  let qdrant: VectorStore | undefined;
  try {
    const sts = stsCorpusAndQueries();
    const articles = articlesCorpusAndQueries();
    const sets: QuerySet[] = [
      { name: 'sts', about: 'STS-b dev: first sentence of each pair graded ≥ 4 → its second sentence', corpus: sts.corpus, queries: sts.queries },
      { name: 'articles', about: 'samples/articles.csv with samples/queries.jsonl', corpus: articles.corpus, queries: articles.queries },
      { name: 'keyword (articles)', about: 'one code or rare capitalised word (name, title word) per query, in exactly one article', corpus: articles.corpus, queries: keywordQueries(articles.corpus, KEYWORD_LIMIT) },
      { name: 'keyword (sts)', about: 'one code or rare capitalised word per query, in exactly one STS-b dev sentence', corpus: sts.corpus, queries: keywordQueries(sts.corpus, KEYWORD_LIMIT) },
    ];
    writeFileSync(join(PROJECT_ROOT, 'bench', 'search-quality', 'keyword-queries.jsonl'), sets.slice(2).flatMap((s) => s.queries.map((q) => JSON.stringify({ set: s.name, ...q }))).join('\n') + '\n');
    const chunks: Record<string, number> = {};
    const results = await scoreOn('local', store, service, sets, async () => {
      for (const corpus of [sts.corpus, articles.corpus]) chunks[corpus.name] = await ingestCorpus(store, scratch, corpus, queuePrefix);
    });
    // The same sets on Qdrant's engine (the tests' stand-in): its keyword ranking is Qdrant's (idf modifier).
    standin = await startQdrantStandin({ strict: false });
    const onQdrant = openQdrantStore({ url: standin.url });
    qdrant = onQdrant;
    results.push(
      ...(await scoreOn('qdrant', onQdrant, new SearchService(onQdrant, models), sets, async () => {
        for (const corpus of [sts.corpus, articles.corpus]) await ingestCorpus(onQdrant, scratch, corpus, queuePrefix);
      })),
    );

    const sweeps = [];
    for (const set of sets.filter((s) => s.corpus === sts.corpus)) sweeps.push({ set: set.name, rows: await weightSweep(service, set) });

    const latency: Array<{ corpus: string; samples: number; times: Record<SearchMode, number[]> }> = [];
    for (const corpus of [articles.corpus, sts.corpus]) {
      const queries = sets.filter((s) => s.corpus === corpus).flatMap((s) => s.queries.map((q) => q.query));
      const times = await latencies(service, corpus.name, queries);
      latency.push({ corpus: corpus.name, samples: times.dense.length, times });
    }

    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const lines = [
      '# bench/search-quality: last run',
      '',
      `${new Date().toISOString()} · commit ${commit} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) · load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')} · Node ${process.version}`,
      `Model: ${MODEL_DIR} · stores: local (LanceDB) and Qdrant's engine (stand-in) · hybrid = reciprocal rank fusion, k = 60, of the dense and keyword top max(2k, 50) each`,
      '',
      '## Sets',
      '',
      '| set | queries | documents | chunks | what |',
      '| --- | ---: | ---: | ---: | --- |',
      ...sets.map((s) => `| ${s.name} | ${s.queries.length} | ${s.corpus.docs.length} | ${chunks[s.corpus.name]} | ${s.about} |`),
      '',
      '## Quality (documents, each query once)',
      '',
      '`first vs dense`: queries this mode answers right at rank 1 where dense does not (+), and the reverse (−).',
      '',
      'Store `local`: LanceDB (its BM25 full-text index); `qdrant`: Qdrant\'s engine through the tests\' stand-in (sparse vectors with the idf modifier, its own rrf fusion).',
      '',
      '| store | set | mode | recall@1 | recall@5 | MRR@10 | nDCG@10 | first vs dense |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...results.map((r) => `| ${r.store} | ${r.set} | ${r.mode} | ${f3(r.recallAt1)} | ${f3(r.recallAt5)} | ${f3(r.mrrAt10)} | ${f3(r.ndcgAt10)} | ${versusDense(r, results)} |`),
      '',
      '## Why not higher on sts: the keyword list weighted down (local fusion, same lists as hybrid)',
      '',
      '| set | keyword weight | recall@1 | MRR@10 | nDCG@10 |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...sweeps.flatMap(({ set, rows }) => rows.map(({ weight, metrics: m }) => `| ${set} | ${weight} | ${f3(m.recallAt1)} | ${f3(m.mrrAt10)} | ${f3(m.ndcgAt10)} |`)),
      '',
      `## Latency per query (k = 10, embedding included, ${LATENCY_ROUNDS} rounds of each corpus's queries, modes interleaved)`,
      '',
      '| corpus | samples per mode | dense p50 / p99 ms | hybrid p50 / p99 ms | keyword p50 / p99 ms | hybrid − dense at p50 |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...latency.map(({ corpus, samples, times }) => {
        const pair = (m: SearchMode) => `${percentile(times[m], 50).toFixed(1)} / ${percentile(times[m], 99).toFixed(1)}`;
        return `| ${corpus} | ${samples} | ${pair('dense')} | ${pair('hybrid')} | ${pair('keyword')} | +${(percentile(times.hybrid, 50) - percentile(times.dense, 50)).toFixed(1)} ms |`;
      }),
      '',
    ];
    writeFileSync(args.out as string, lines.join('\n'));
    console.error(`wrote ${args.out}`);
  } finally {
    await store.close();
    await qdrant?.close();
    await standin?.stop();
    await deleteRedisKeys(`${queuePrefix}:*`);
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
