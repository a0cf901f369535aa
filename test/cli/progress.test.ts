// What the ingest progress line says at each stage: "counting…" while the source is still read
// (no bar against a made-up total of 1, no ETA), then a bar against the real total with an ETA only
// once a rate has been measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatIngestProgress, type IngestProgressState } from '../../src/cli/progress.ts';

const state = (s: Partial<IngestProgressState>): IngestProgressState => ({ documents: 0, rejected: 0, chunksQueued: 0, chunksEmbedded: 0, sourceDone: false, ...s });

test('before anything is known: counting, no total, no ETA', () => {
  const line = formatIngestProgress(state({}), 0);
  assert.equal(line, 'counting… 0 of 0+ chunks embedded | 0 docs read, 0 rejected | 0.0 chunks/s');
  assert.doesNotMatch(line, /0\/1|ETA|NaN|Infinity/);
});

test('while the source is still read: what is known so far, still no ETA', () => {
  const line = formatIngestProgress(state({ documents: 120, rejected: 2, chunksQueued: 300, chunksEmbedded: 64 }), 4000);
  assert.equal(line, 'counting… 64 of 300+ chunks embedded | 120 docs read, 2 rejected | 16.0 chunks/s');
});

test('total known but nothing embedded yet: a bar, no ETA', () => {
  const line = formatIngestProgress(state({ documents: 400, chunksQueued: 1000, sourceDone: true }), 3000, 10);
  assert.equal(line, '░░░░░░░░░░ 0/1000 chunks embedded | 400 docs read, 0 rejected | 0.0 chunks/s');
});

test('total known and a rate measured: bar and ETA from the measured rate', () => {
  // 250 chunks in 10 s = 25/s; 750 left = 30 s.
  const line = formatIngestProgress(state({ documents: 400, chunksQueued: 1000, chunksEmbedded: 250, sourceDone: true }), 10_000, 10);
  assert.equal(line, '███░░░░░░░ 250/1000 chunks embedded | 400 docs read, 0 rejected | 25.0 chunks/s | ETA 30s');
});

test('finished, or nothing to embed: a full bar and no ETA', () => {
  assert.equal(formatIngestProgress(state({ documents: 5, chunksQueued: 8, chunksEmbedded: 8, sourceDone: true }), 2000, 4), '████ 8/8 chunks embedded | 5 docs read, 0 rejected | 4.0 chunks/s');
  assert.equal(formatIngestProgress(state({ documents: 5, sourceDone: true }), 2000, 4), '████ 0/0 chunks embedded | 5 docs read, 0 rejected | 0.0 chunks/s');
});

test('durations read as a person would say them', () => {
  assert.deepEqual([0, 45, 185, 7620, 0.4].map(formatDuration), ['0s', '45s', '3m05s', '2h07m', '0s']);
});
