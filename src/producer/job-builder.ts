// Packs chunks into jobs bounded by chunk count and serialized bytes, so no job is too big for
// Redis or too small to be worth a round trip; the first jobs are smaller, so the first results
// come soon (FIRST_JOB_CHUNKS).
import type { Chunk } from '../contracts/chunk.ts';
import { FIRST_JOB_CHUNKS, MAX_CHUNKS_PER_JOB, MAX_JOB_BYTES } from '../queue/embed-job.ts';

export class JobBuilder {
  private chunks: Chunk[] = [];
  private bytes = 0;
  private jobsTaken = 0;

  constructor(
    private readonly maxChunks = MAX_CHUNKS_PER_JOB,
    private readonly maxBytes = MAX_JOB_BYTES,
    private readonly firstJobChunks: readonly number[] = FIRST_JOB_CHUNKS,
  ) {}

  /** Adds a chunk; returns a full job's chunks when adding it would overflow the current job. */
  add(chunk: Chunk): Chunk[] | undefined {
    const size = Buffer.byteLength(JSON.stringify(chunk));
    const maxChunks = Math.min(this.maxChunks, this.firstJobChunks[this.jobsTaken] ?? this.maxChunks);
    let full: Chunk[] | undefined;
    if (this.chunks.length > 0 && (this.chunks.length >= maxChunks || this.bytes + size > this.maxBytes)) full = this.take();
    this.chunks.push(chunk);
    this.bytes += size;
    return full;
  }

  /** The partly filled job, if any. */
  take(): Chunk[] | undefined {
    if (this.chunks.length === 0) return undefined;
    const job = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    this.jobsTaken++;
    return job;
  }
}
