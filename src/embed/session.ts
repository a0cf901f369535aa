// One onnxruntime InferenceSession per model file per process, created once and reused: creating a
// session costs hundreds of milliseconds and its memory arena is meant to be kept warm.
import ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';

export interface SessionOptions {
  /** Intra-op threads; defaults to the machine's cores (EMBEDLINE_THREADS overrides). */
  threads?: number;
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

export function defaultThreadCount(): number {
  const fromEnv = Number(process.env.EMBEDLINE_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

export function getSession(onnxPath: string, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  const threads = options.threads ?? defaultThreadCount();
  const key = `${onnxPath}#${threads}`;
  let session = sessions.get(key);
  if (!session) {
    session = ort.InferenceSession.create(onnxPath, {
      // 'all' lets onnxruntime fuse attention/GELU/LayerNorm for BERT, the largest CPU win.
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      enableCpuMemArena: true,
      enableMemPattern: true,
    });
    sessions.set(key, session);
    session.catch(() => sessions.delete(key));
  }
  return session;
}
