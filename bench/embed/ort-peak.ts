// fp32 GEMM throughput of onnxruntime-node itself (MLAS, the kernels embedline runs on), as a
// cross-check of the PyTorch/NumPy peak and a fallback when no Python is available. The graph is
// four chained MatMuls of square matrices (X·B·B·B·B), written as ONNX protobuf by hand (no `onnx`
// package needed) so that one run copies one output back to JS.
import ort from 'onnxruntime-node';

// --- minimal protobuf writer (wire types 0 = varint, 2 = length-delimited) ---
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const intField = (field: number, value: number) => [...tag(field, 0), ...varint(value)];
const bytesField = (field: number, bytes: number[]) => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const strField = (field: number, s: string) => bytesField(field, [...Buffer.from(s, 'utf8')]);

function floatMatrixInfo(name: string, rows: string, cols: string): number[] {
  // ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1 (FLOAT), shape=2: {dim=1: {dim_param=2}}}}}
  const shape = [...bytesField(1, strField(2, rows)), ...bytesField(1, strField(2, cols))];
  const tensorType = [...intField(1, 1), ...bytesField(2, shape)];
  return [...strField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

function matmulNode(a: string, b: string, out: string): number[] {
  // NodeProto{input=1, input=1, output=2, name=3, op_type=4}
  return [...strField(1, a), ...strField(1, b), ...strField(2, out), ...strField(3, out), ...strField(4, 'MatMul')];
}

export const CHAIN_LENGTH = 4;

export function matmulChainModel(): Uint8Array {
  const nodes: number[] = [];
  let previous = 'X';
  for (let i = 1; i <= CHAIN_LENGTH; i++) {
    const out = i === CHAIN_LENGTH ? 'Y' : `T${i}`;
    nodes.push(...bytesField(1, matmulNode(previous, 'B', out)));
    previous = out;
  }
  const graph = [
    ...nodes,
    ...strField(2, 'matmul_chain'),
    ...bytesField(11, floatMatrixInfo('X', 'N', 'N')),
    ...bytesField(11, floatMatrixInfo('B', 'N', 'N')),
    ...bytesField(12, floatMatrixInfo('Y', 'N', 'N')),
  ];
  // ModelProto{ir_version=1, graph=7, opset_import=8: {domain=1 "", version=2}}
  const model = [...intField(1, 8), ...bytesField(7, graph), ...bytesField(8, intField(2, 17))];
  return Uint8Array.from(model);
}

export interface GemmPeak {
  gflops: number;
  size: number;
  seconds: number;
}

/** Best-of-`reps` GFLOP/s of an n×n×n fp32 GEMM in onnxruntime-node with `threads` intra-op threads. */
export async function ortGemmPeak(threads: number, size = 2048, reps = 5): Promise<GemmPeak> {
  const session = await ort.InferenceSession.create(matmulChainModel(), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  // B scaled to keep the chain's magnitudes near 1 (no overflow, no denormals).
  const x = new Float32Array(size * size);
  const b = new Float32Array(size * size);
  const scale = Math.sqrt(3 / size);
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.random() * 2 - 1;
    b[i] = (Math.random() * 2 - 1) * scale;
  }
  const feeds = { X: new ort.Tensor('float32', x, [size, size]), B: new ort.Tensor('float32', b, [size, size]) };
  await session.run(feeds); // warm-up
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    await session.run(feeds);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  await session.release();
  return { gflops: (CHAIN_LENGTH * 2 * size ** 3) / best / 1e9, size, seconds: best };
}
