// The real model every test uses (../shared/models/all-MiniLM-L6-v2 unless EMBEDLINE_MODEL says
// otherwise), loaded once per test file.
import { loadConfig } from '../../src/config.ts';
import { loadEmbedder, type Embedder, type LoadOptions } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';

export const MODEL_DIR = resolveModelDir(loadConfig().modelDir);

const cache = new Map<string, Promise<Embedder>>();

export function testEmbedder(options: LoadOptions = {}): Promise<Embedder> {
  const key = JSON.stringify(options);
  let embedder = cache.get(key);
  if (!embedder) {
    embedder = loadEmbedder(MODEL_DIR, options);
    cache.set(key, embedder);
  }
  return embedder;
}
