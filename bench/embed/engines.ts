// The Node engines under test. Each one embeds a list of texts end to end (tokenise, run the ONNX
// graph, mean-pool, L2-normalise) and returns one vector per text, in input order.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbedder, type Embedder } from '../../src/embed/embedder.ts';
import { sessionThreadLayout } from '../../src/embed/session.ts';

export interface Engine {
  id: string;
  label: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export async function embedlineEngine(
  modelDir: string,
  options: { quantized: boolean; threads: number; maxBatchTokens?: number; sessions?: number },
): Promise<Engine & { embedder: Embedder; layout: number[] }> {
  const embedder = await loadEmbedder(modelDir, options);
  const budget = options.maxBatchTokens === undefined ? '' : `, maxBatchTokens ${options.maxBatchTokens}`;
  const layout = sessionThreadLayout(options.threads, options.sessions);
  return {
    id: options.quantized ? 'embedline-int8' : 'embedline-fp32',
    label: `embedline ${options.quantized ? 'int8 (model_int8.onnx)' : 'fp32 (model.onnx)'}${budget}, ${describeLayout(layout)}`,
    embedder,
    layout,
    async embed(texts) {
      return (await embedder.embed(texts, { pooling: 'mean', normalize: true, truncate: true })).vectors;
    },
    async close() {},
  };
}

/**
 * transformers.js `pipeline('feature-extraction')` on the same model.onnx, loaded from a temporary
 * folder laid out as transformers.js expects (`<root>/<name>/{config.json, tokenizer*.json,
 * onnx/model.onnx}`, symlinks), with remote models disabled. `session_options` is passed through
 * to onnxruntime-node's InferenceSession.create unchanged (transformers.js src/models/session.js,
 * src/backends/onnx.js), so intra-op threads are set exactly as embedline sets them.
 * Texts are fed `batchSize` at a time in the caller's order (its typical usage: each call pads
 * to the longest text of that call; nothing is sorted by length).
 */
export async function transformersJsEngine(modelDir: string, options: { threads: number; batchSize: number; sortByLength?: boolean }): Promise<Engine> {
  const root = mkdtempSync(join(tmpdir(), 'embedline-bench-tjs-'));
  const name = 'all-MiniLM-L6-v2';
  mkdirSync(join(root, name, 'onnx'), { recursive: true });
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    symlinkSync(join(modelDir, file), join(root, name, file));
  }
  symlinkSync(join(modelDir, 'model.onnx'), join(root, name, 'onnx', 'model.onnx'));

  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = root;
  env.useFSCache = false;
  const extractor = await pipeline('feature-extraction', name, {
    dtype: 'fp32',
    device: 'cpu',
    local_files_only: true,
    session_options: { intraOpNumThreads: options.threads, interOpNumThreads: 1 },
  });
  const { batchSize } = options;
  const sorted = options.sortByLength === true;
  return {
    id: sorted ? 'transformersjs-sorted' : 'transformersjs',
    label: `transformers.js fp32, ${batchSize} texts per call${sorted ? ', input pre-sorted by length (diagnostic)' : ''}`,
    async embed(texts) {
      // The diagnostic variant sorts by character length, as sentence-transformers' encode() does.
      const order = texts.map((_, i) => i);
      if (sorted) order.sort((a, b) => texts[a].length - texts[b].length || a - b);
      const vectors = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += batchSize) {
        const slice = order.slice(start, start + batchSize);
        const output = await extractor(slice.map((i) => texts[i]), { pooling: 'mean', normalize: true });
        const data = output.data as Float32Array;
        const dims = output.dims[1];
        slice.forEach((inputIndex, row) => {
          vectors[inputIndex] = data.subarray(row * dims, (row + 1) * dims);
        });
      }
      return vectors;
    },
    async close() {
      await extractor.dispose();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** "2 sessions × 1 thread", "1 session × 2 threads", "3 sessions × 2/1/1 threads". */
export function describeLayout(layout: readonly number[]): string {
  const threads = new Set(layout).size === 1 ? String(layout[0]) : layout.join('/');
  return `${layout.length} session${layout.length === 1 ? '' : 's'} × ${threads} thread${threads === '1' ? '' : 's'}`;
}
