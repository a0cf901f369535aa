// Per-operator time inside onnxruntime for embedline's batches (diagnostic for bench/embed):
// creates a profiling session on the same model file with embedline's session options, runs the
// same length-sorted token-budget batches the embedder would run, and sums onnxruntime's profile
// events by operator type. Also lists the operator types of the optimised graph, which shows
// whether onnxruntime fused attention/LayerNorm/GELU for this export.
//
//   npx tsx bench/embed/op-profile.ts [--threads N] [--quantized] [--set sts|passages] [--count N]
//                                     [--max-batch-tokens T]
import ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planBatches } from '../../src/embed/token-budget.ts';
import { DEFAULT_MAX_BATCH_TOKENS, loadEmbedder } from '../../src/embed/embedder.ts';
import { resolveModelDir } from '../../src/embed/model-files.ts';
import { buildPassages, stsSentences } from './texts.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: flags } = parseArgs({
  options: {
    threads: { type: 'string' },
    quantized: { type: 'boolean', default: false },
    set: { type: 'string', default: 'sts' },
    count: { type: 'string' },
    'max-batch-tokens': { type: 'string' },
  },
});
const threads = Number(flags.threads ?? availableParallelism());
const maxBatchTokens = Number(flags['max-batch-tokens'] ?? DEFAULT_MAX_BATCH_TOKENS);
const stsPath = resolve(here, '..', '..', '..', 'shared', 'data', 'stsbenchmark', 'sts-dev.csv');

const embedder = await loadEmbedder(resolveModelDir(), { quantized: flags.quantized, threads });
const sentences = stsSentences(stsPath, Infinity);
const texts =
  flags.set === 'passages'
    ? buildPassages(sentences, embedder.tokenizer, Number(flags.count ?? 100), 256)
    : sentences.slice(0, Number(flags.count ?? 1500));
const encoded = embedder.tokenize(texts, true);
const batches = planBatches(
  encoded.map((ids) => ids.length),
  maxBatchTokens,
);

const dir = mkdtempSync(join(tmpdir(), 'embedline-op-profile-'));
const session = await ort.InferenceSession.create(embedder.info.onnxPath, {
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  enableCpuMemArena: true,
  enableMemPattern: true,
  enableProfiling: true,
  profileFilePrefix: join(dir, 'profile'),
  optimizedModelFilePath: join(dir, 'optimized.onnx'),
});

function feeds(rows: number[][], seqLen: number): Record<string, ort.Tensor> {
  const ids = new BigInt64Array(rows.length * seqLen);
  const mask = new BigInt64Array(rows.length * seqLen);
  rows.forEach((row, r) => row.forEach((id, t) => {
    ids[r * seqLen + t] = BigInt(id);
    mask[r * seqLen + t] = 1n;
  }));
  const dims = [rows.length, seqLen];
  return {
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(rows.length * seqLen), dims),
  };
}

const start = performance.now();
for (const batch of batches) await session.run(feeds(batch.indices.map((i) => encoded[i]), batch.paddedLength), ['last_hidden_state']);
const wallMs = performance.now() - start;
session.endProfiling();
await session.release();

const profileFile = readdirSync(dir).find((f) => f.startsWith('profile') && f.endsWith('.json'));
const events = JSON.parse(readFileSync(join(dir, profileFile!), 'utf8')) as Array<{ cat: string; name: string; dur: number; args?: { op_name?: string } }>;
const byOp = new Map<string, { us: number; count: number }>();
let nodeTotal = 0;
for (const e of events) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const op = e.args?.op_name ?? '?';
  const entry = byOp.get(op) ?? { us: 0, count: 0 };
  entry.us += e.dur;
  entry.count++;
  byOp.set(op, entry);
  nodeTotal += e.dur;
}
// Operator types present in the optimised graph (op_type strings appear as plain bytes).
const optimized = readFileSync(join(dir, 'optimized.onnx')).toString('latin1');
const opTypes = [...byOp.keys()].filter((op) => optimized.includes(op));
rmSync(dir, { recursive: true, force: true });

const tokens = encoded.reduce((s, ids) => s + ids.length, 0);
console.log(`# onnxruntime operator profile — ${flags.quantized ? 'model_int8.onnx' : 'model.onnx'}, ${flags.set}, ${texts.length} texts, ${tokens} tokens, ${batches.length} batches (maxBatchTokens ${maxBatchTokens}), ${threads} threads`);
console.log(`wall ${wallMs.toFixed(0)} ms (profiling on), summed kernel time ${(nodeTotal / 1000).toFixed(0)} ms`);
console.log('| operator | ms | share | calls |');
console.log('| --- | ---: | ---: | ---: |');
for (const [op, { us, count }] of [...byOp.entries()].sort((a, b) => b[1].us - a[1].us)) {
  console.log(`| ${op} | ${(us / 1000).toFixed(0)} | ${((us / nodeTotal) * 100).toFixed(1)}% | ${count} |`);
}
console.log(`operator types in the optimised graph: ${opTypes.join(', ')}`);
