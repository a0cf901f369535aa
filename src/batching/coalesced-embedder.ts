// The worker's ONNX batches: texts of jobs processed at once (BullMQ concurrency) are embedded
// together instead of one small run per job. Only texts that ask for the same pooling,
// normalisation and prompt can share a call; the embedder then cuts the merged texts into token-budget runs
// (embed/token-budget.ts). Failure isolation and windows are the Coalescer's.
import type { EmbedOptions, EmbedResult } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { Coalescer, type CoalescerOptions } from './coalescer.ts';

/** The part of an Embedder this needs (tests pass a recording one). */
export interface TextEmbedder {
  embed(texts: readonly string[], options: EmbedOptions): Promise<EmbedResult>;
}

export interface VectorChoices {
  pooling: Pooling;
  normalize: boolean;
  /** Put before every text (a collection's document prompt); "" or unset: none. */
  prompt?: string;
}

/**
 * How long a job's texts wait for other jobs', the most texts merged into one call, and calls run at
 * once. A round is about one full job (64 chunks, queue/embed-job.ts; small jobs still merge) and two
 * run at once: while one job's vectors are written and acknowledged the sessions embed the next, and
 * the first job of a run completes after its own chunks, not after everything the worker holds
 * (bench/ingest/last-run.md: one 1024-text round of 4 jobs left the sessions idle during the
 * round's writes and made the first job wait for all four).
 */
export const WORKER_EMBED_BATCHING: CoalescerOptions = { windowMs: 5, maxItems: 64, concurrency: 2 };

export class CoalescedEmbedder {
  private readonly calls: Coalescer<string, Float32Array>;

  constructor(embedder: TextEmbedder, options: CoalescerOptions = WORKER_EMBED_BATCHING) {
    this.calls = new Coalescer(async (key, texts) => (await embedder.embed(texts, JSON.parse(key) as VectorChoices)).vectors, options);
  }

  /** One vector per text, in the texts' order. */
  embed(texts: readonly string[], { pooling, normalize, prompt = '' }: VectorChoices): Promise<Float32Array[]> {
    // The key fixes the field order, so equal choices always make the same key.
    const key: Required<VectorChoices> = { pooling, normalize, prompt };
    return this.calls.submit(JSON.stringify(key), [...texts]);
  }
}
