// EMBEDLINE_THREADS means the same in `serve` as everywhere: the threads the process may use for
// inference in all. The search side cuts them into query runs of `threadsPerRun` (serve --threads,
// default 1) that go side by side; it never uses more than the total, whatever the core count.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { CollectionModels } from '../../src/search/collection-models.ts';

const runs = (threads: number | undefined, threadsPerRun: number | undefined) => new CollectionModels('/unused', { threads, threadsPerRun }).parallelRuns;

test('query runs: the threads in all, cut into runs of threadsPerRun', () => {
  assert.equal(runs(1, 1), 1, 'one thread in all: one run, even on a machine with more cores');
  assert.equal(runs(4, 1), 4);
  assert.equal(runs(4, 2), 2);
  assert.equal(runs(5, 2), 2, 'no run gets fewer threads than asked');
  assert.equal(runs(2, 8), 1, 'a run wider than the total gets the total');
  assert.equal(runs(6, undefined), 1, 'no per-run width: one run with all the threads');
  assert.equal(runs(undefined, 1), availableParallelism(), 'no total: all cores');
});
