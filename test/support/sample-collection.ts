// A real ingested collection of samples/articles.csv for the search tests, built by the real
// `embedline ingest --text-column title,body --id-column id --metadata-columns category,year,author`
// (real Redis, real model, the embedded store). upsertArticles adds one-chunk articles directly,
// for tests that need an article the CSV does not have.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Chunk, Metadata } from '../../src/contracts/chunk.ts';
import { specForModel, type CollectionSpec } from '../../src/contracts/collection-spec.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { pointId } from '../../src/store/point-id.ts';
import type { VectorStore } from '../../src/store/vector-store.ts';
import { builtOnce } from './built-once.ts';
import { isolatedEnv } from './isolated-env.ts';
import { runCli } from './run-cli.ts';
import { testEmbedder } from './model.ts';

export interface Article {
  id: string;
  title: string;
  body: string;
  category: string;
  year: string;
  author: string;
}

export interface SampleQuery {
  query: string;
  /** The article id that should rank first. */
  expected: string;
}

const SAMPLES = new URL('../../samples/', import.meta.url);
const EMBED_BATCH = 32;

export function sampleArticles(): Article[] {
  return parse(readFileSync(new URL('articles.csv', SAMPLES), 'utf8'), { columns: true, skip_empty_lines: true }) as Article[];
}

export function sampleQueries(): SampleQuery[] {
  return readFileSync(new URL('queries.jsonl', SAMPLES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SampleQuery);
}

export function articleText(article: Pick<Article, 'title' | 'body'>): string {
  return `${article.title}\n\n${article.body}`;
}

/** The spec of one-chunk articles embedded with the model's defaults (upsertArticles, bench/search). */
export function specFor(embedder: Embedder): CollectionSpec {
  return specForModel(embedder.info, { chunkTokens: embedder.info.maxTokens, overlap: 0 });
}

export interface SampleCollection {
  points: number;
  documents: number;
}

/**
 * Ingests the sample articles plus `extra` ones into `collection` in env.dataDir. The first build
 * in a test run is kept and copied for later files (see built-once.ts).
 */
export async function buildSampleCollection(env: { dataDir: string }, collection: string, extra: Article[] = []): Promise<SampleCollection> {
  const articles = [...sampleArticles(), ...extra];
  const key = createHash('sha256').update(JSON.stringify([collection, articles])).digest('hex').slice(0, 16);
  const built = await builtOnce(`sample-${key}`, (dir) => ingestArticles(dir, collection, articles));
  cpSync(built, env.dataDir, { recursive: true });
  return JSON.parse(readFileSync(join(built, 'ingest-summary.json'), 'utf8')) as SampleCollection;
}

async function ingestArticles(dataDir: string, collection: string, articles: Article[]): Promise<void> {
  const csv = join(dataDir, 'articles.csv');
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const columns = ['id', 'title', 'body', 'category', 'year', 'author'] as const;
  writeFileSync(csv, [columns.join(','), ...articles.map((a) => columns.map((c) => quote(a[c])).join(','))].join('\n') + '\n');
  const iso = isolatedEnv('sample');
  try {
    const result = await runCli(
      ['ingest', csv, '--collection', collection, '--text-column', 'title,body', '--id-column', 'id', '--metadata-columns', 'category,year,author', '--json', '--no-progress'],
      { env: { ...iso.env, EMBEDLINE_DATA: dataDir } },
    );
    if (result.code !== 0) throw new Error(`embedline ingest failed: ${result.stderr}`);
    const summary = JSON.parse(result.stdout) as { added: number; chunks: number };
    writeFileSync(join(dataDir, 'ingest-summary.json'), JSON.stringify({ points: summary.chunks, documents: summary.added }));
  } finally {
    await iso.cleanup();
  }
}

/**
 * Embeds the articles (one chunk each) and upserts them into an existing collection; `more` adds
 * metadata of an article's own (numbers, lists) to its category, year and author.
 */
export async function upsertArticles(store: VectorStore, collection: string, articles: Article[], more: (article: Article) => Metadata = () => ({})): Promise<void> {
  const embedder = await testEmbedder();
  const spec = specFor(embedder);
  for (let i = 0; i < articles.length; i += EMBED_BATCH) {
    const batch = articles.slice(i, i + EMBED_BATCH);
    const texts = batch.map(articleText);
    const { vectors, tokens } = await embedder.embed(texts, { pooling: spec.pooling, normalize: spec.normalize, truncate: true });
    await store.upsert(
      collection,
      batch.map((article, j) => {
        const chunk: Chunk = {
          documentId: article.id,
          chunkIndex: 0,
          text: texts[j],
          start: 0,
          end: texts[j].length,
          tokens: tokens[j],
          contentHash: createHash('sha256').update(texts[j]).digest('hex'),
          metadata: { category: article.category, year: article.year, author: article.author, ...more(article) },
        };
        return { id: pointId(collection, article.id, 0), vector: vectors[j], chunk };
      }),
    );
  }
}
