// The benchmark's collections: N points whose vectors look like real sentence embeddings without
// embedding N texts. A few thousand real sentences (STS-b dev and the sample articles) are embedded
// once; each point is one of them plus a little Gaussian noise, renormalised, so the collection has
// the clustered, anisotropic shape of real data (which is what ANN recall and speed depend on).
// Everything is cached under .bench-cache/search, so reruns skip the ~5 minutes of building.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Chunk } from '../../src/contracts/chunk.ts';
import type { Embedder } from '../../src/embed/embedder.ts';
import { l2Normalize } from '../../src/embed/vector-math.ts';
import { readStsFile } from '../../src/eval/sts.ts';
import { loadConfig } from '../../src/config.ts';
import { indexThresholds } from '../../src/store/local/index-policy.ts';
import { openLocalStore } from '../../src/store/local/local-store.ts';
import { pointId } from '../../src/store/point-id.ts';
import type { StoredPoint } from '../../src/store/vector-store.ts';
import { sampleArticles, sampleQueries, specFor } from '../../test/support/sample-collection.ts';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CACHE_DIR = join(projectRoot, '.bench-cache', 'search');
export const DATA_DIR = join(CACHE_DIR, 'data');
const STS_PATH = join(projectRoot, '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv');

/** Bump when the generated data changes, so cached collections are rebuilt. */
const GENERATOR_VERSION = 1;
/** Per-dimension noise: cosine to the source sentence ≈ 1/√(1 + 384·σ²) ≈ 0.93. */
const NOISE_SIGMA = 0.025;
const UPSERT_BATCH = 5000;
const EMBED_BATCH = 256;
const CATEGORIES = ['astronomy', 'biology', 'cooking', 'geography', 'history', 'music', 'programming', 'sports'];

export interface Sentences {
  /** Texts whose vectors seed the collections. */
  base: string[];
  /** Held-out texts the load generator searches for (none of them is in `base`). */
  queries: string[];
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 20);
}

export function benchSentences(): Sentences {
  const pairs = readStsFile(STS_PATH);
  const queries = [...new Set([...sampleQueries().map((q) => q.query), ...pairs.filter((_, i) => i % 8 === 0).map((p) => p.second)])];
  const held = new Set(queries);
  const candidates = [...pairs.flatMap((p) => [p.first, p.second]), ...sampleArticles().flatMap((a) => [a.title, ...splitSentences(a.body)])];
  const base = [...new Set(candidates)].filter((s) => !held.has(s));
  return { base, queries };
}

/** The base sentences' vectors, embedded once per model and cached. */
async function baseVectors(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const key = createHash('sha256').update(embedder.info.checksum).update(JSON.stringify(texts)).digest('hex').slice(0, 16);
  const file = join(CACHE_DIR, `base-vectors-${key}.f32`);
  const dims = embedder.info.dims;
  if (existsSync(file)) {
    const all = new Float32Array(readFileSync(file).buffer.slice(0));
    return texts.map((_, i) => all.subarray(i * dims, (i + 1) * dims));
  }
  log(`embedding ${texts.length} base sentences once (cached in ${file})`);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    const { vectors: batch } = await embedder.embed(texts.slice(i, i + EMBED_BATCH), { truncate: true });
    vectors.push(...batch);
  }
  const all = new Float32Array(texts.length * dims);
  vectors.forEach((v, i) => all.set(v, i * dims));
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(file, Buffer.from(all.buffer));
  return vectors;
}

/** Seeded standard normal samples (mulberry32 + Box-Muller): the same collection on every machine. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function point(collection: string, i: number, texts: string[], vectors: Float32Array[], noise: () => number): StoredPoint {
  const b = i % texts.length;
  const vector = Float32Array.from(vectors[b], (x) => x + NOISE_SIGMA * noise());
  // Four chunks per document, two sentences per chunk: payloads of a realistic size.
  const documentId = `d${Math.floor(i / 4)}`;
  const chunkIndex = i % 4;
  const text = `${texts[b]} ${texts[(b * 31 + 7) % texts.length]}`;
  const chunk: Chunk = {
    documentId,
    chunkIndex,
    text,
    start: chunkIndex * 200,
    end: chunkIndex * 200 + text.length,
    tokens: Math.ceil(text.length / 4),
    contentHash: createHash('sha256').update(documentId).digest('hex'),
    metadata: { category: CATEGORIES[Math.floor(i / 4) % CATEGORIES.length], year: String(2014 + (Math.floor(i / 4) % 12)) },
  };
  return { id: pointId(collection, documentId, chunkIndex), vector: l2Normalize(vector), chunk };
}

export interface BuiltCollection {
  name: string;
  points: number;
  /** Whether the store built its ANN index (at EMBEDLINE_INDEX_MIN_ROWS and above). */
  indexed: boolean;
  buildSeconds?: number;
}

/** Builds `bench-<points>` in DATA_DIR unless a finished build of the same data is cached there. */
export async function ensureBenchCollection(embedder: Embedder, sentences: Sentences, points: number): Promise<BuiltCollection> {
  const name = `bench-${points}`;
  const spec = specFor(embedder);
  // The store's own policy decides whether optimize builds the ANN index; the stamp records it.
  const thresholds = indexThresholds({ vectorMinRows: loadConfig().indexMinRows });
  const indexed = points >= thresholds.vectorMinRows;
  const stamp = JSON.stringify({ generator: GENERATOR_VERSION, points, checksum: spec.modelChecksum, base: sentences.base.length, indexed });
  const marker = join(CACHE_DIR, `${name}.done.json`);
  const store = openLocalStore(DATA_DIR, thresholds);
  try {
    const existing = await store.describe(name);
    if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp && existing?.points === points) {
      return { name, points, indexed };
    }
    const started = performance.now();
    const vectors = await baseVectors(embedder, sentences.base);
    log(`building ${name}: ${points} points`);
    await store.dropCollection(name);
    await store.ensureCollection(name, spec);
    const noise = gaussian(points);
    for (let i = 0; i < points; i += UPSERT_BATCH) {
      const batch = Array.from({ length: Math.min(UPSERT_BATCH, points - i) }, (_, j) => point(name, i + j, sentences.base, vectors, noise));
      await store.upsert(name, batch);
      log(`  ${name}: ${i + batch.length}/${points} points written`);
    }
    log(`  ${name}: optimize (builds the ANN index above EMBEDLINE_INDEX_MIN_ROWS; ~140 s for 100k on 2 cores)`);
    await store.optimize(name);
    writeFileSync(marker, stamp);
    return { name, points, indexed, buildSeconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}
