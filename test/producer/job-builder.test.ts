// The producer's job packing: the first jobs are smaller (16, then 32 chunks) so the first results
// come soon, then jobs of MAX_CHUNKS_PER_JOB; the byte bound cuts a job early whatever its count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { JobBuilder } from '../../src/producer/job-builder.ts';
import { FIRST_JOB_CHUNKS, MAX_CHUNKS_PER_JOB } from '../../src/queue/embed-job.ts';

function chunk(i: number, text = `chunk ${i}`): Chunk {
  return { documentId: `d${i}`, chunkIndex: 0, text, start: 0, end: text.length, tokens: 4, contentHash: 'h.1', metadata: {} };
}

function pack(builder: JobBuilder, chunks: Chunk[]): number[] {
  const sizes: number[] = [];
  for (const c of chunks) {
    const full = builder.add(c);
    if (full) sizes.push(full.length);
  }
  const last = builder.take();
  if (last) sizes.push(last.length);
  return sizes;
}

test('the first jobs hold 16, then 32 chunks, then 64; every chunk once, in order', () => {
  assert.deepEqual(FIRST_JOB_CHUNKS, [16, 32]);
  const chunks = Array.from({ length: 200 }, (_, i) => chunk(i));
  const builder = new JobBuilder();
  const jobs: Chunk[][] = [];
  for (const c of chunks) {
    const full = builder.add(c);
    if (full) jobs.push(full);
  }
  jobs.push(builder.take()!);
  assert.deepEqual(jobs.map((j) => j.length), [16, 32, MAX_CHUNKS_PER_JOB, MAX_CHUNKS_PER_JOB, 200 - 16 - 32 - 2 * MAX_CHUNKS_PER_JOB]);
  assert.deepEqual(jobs.flat(), chunks);
  assert.equal(builder.take(), undefined, 'nothing left');
});

test('a small corpus is one job; the byte bound cuts a job before its count', () => {
  assert.deepEqual(pack(new JobBuilder(), Array.from({ length: 10 }, (_, i) => chunk(i))), [10]);
  const big = 'x'.repeat(1000);
  const bytes = Buffer.byteLength(JSON.stringify(chunk(0, big)));
  // Room for 3 chunks a job: the first job stops at 3 although it may hold 16.
  assert.deepEqual(pack(new JobBuilder(64, 3 * bytes + 10), Array.from({ length: 7 }, (_, i) => chunk(i, big))), [3, 3, 1]);
  // Without the ramp, as before: jobs of the full count.
  assert.deepEqual(pack(new JobBuilder(64, Infinity, []), Array.from({ length: 130 }, (_, i) => chunk(i))), [64, 64, 2]);
});
