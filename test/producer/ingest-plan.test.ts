// The producer's planner as a table: one row per situation a document can be in (new, the same, changed,
// partly stored, held at a newer version by a later run, rejected) and per --prune case, each with the
// decision it must get. No Redis, no store: the planner is a function of its inputs. The chunks are the
// real chunker's, on the real model's tokenizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chunk } from '../../src/contracts/chunk.ts';
import { resolveChunkSettings } from '../../src/producer/chunking/chunk-settings.ts';
import { chunkDocument } from '../../src/producer/chunking/chunker.ts';
import { chunkSetHash, contentHash } from '../../src/producer/chunking/content-hash.ts';
import {
  needsVersionLookup,
  planDocument,
  planPrune,
  type DocumentFacts,
  type DocumentPlan,
  type IngestPass,
  type PlanOptions,
  type StoredState,
} from '../../src/producer/ingest-plan.ts';
import type { SourceReject } from '../../src/producer/sources/source-item.ts';
import { testEmbedder } from '../support/model.ts';
import { paragraph, seededRandom } from './text-generator.ts';

const embedder = await testEmbedder();
const settings = resolveChunkSettings({ maxTokens: embedder.info.maxTokens, specialTokenCount: embedder.tokenizer.specialTokenCount });
const random = seededRandom(7);
const text = Array.from({ length: 6 }, () => paragraph(random, 8)).join('\n\n');
const metadata = { lang: 'en' };
const hash = contentHash({ text, metadata }, settings);
const chunks = chunkDocument({ id: 'doc', text, metadata, contentHash: hash }, embedder.tokenizer, settings);
const otherHash = contentHash({ text: `${text} One more sentence.`, metadata }, settings);
const V = 7;

/** The document's facts; `chunkCalls` counts how often the planner chunked it. */
function facts(stored?: StoredState, carriedByOlderJob?: boolean, own: readonly Chunk[] = chunks) {
  const calls = { chunkCalls: 0 };
  const input: DocumentFacts = {
    kind: 'document',
    id: 'doc',
    hash,
    chunks: () => {
      calls.chunkCalls++;
      return own;
    },
    stored,
    carriedByOlderJob,
  };
  return { input, calls };
}

const whole = (h = hash): StoredState => ({ contentHash: chunkSetHash(h, chunks.length), chunks: chunks.length });

interface Row {
  situation: string;
  stored?: StoredState;
  carried?: boolean;
  own?: readonly Chunk[];
  options: PlanOptions;
  expected: DocumentPlan;
  /** The planner should chunk the document this often (0: found current without chunking it). */
  chunkCalls: number;
}

const rows: Row[] = [
  { situation: 'new document', options: { version: V }, expected: { outcome: 'added', documentId: 'doc', chunks }, chunkCalls: 1 },
  { situation: 'same content, every chunk stored', stored: whole(), options: { version: V }, expected: { outcome: 'unchanged', documentId: 'doc' }, chunkCalls: 0 },
  {
    situation: 'same content, stored before chunk counts (bare hash): chunked to learn the count',
    stored: { contentHash: hash, chunks: chunks.length },
    options: { version: V },
    expected: { outcome: 'unchanged', documentId: 'doc' },
    chunkCalls: 1,
  },
  {
    situation: 'same content, a job of an older run carries it: claimed for the run',
    stored: whole(),
    carried: true,
    options: { version: V },
    expected: { outcome: 'unchanged', documentId: 'doc', claim: chunkSetHash(hash, chunks.length) },
    chunkCalls: 0,
  },
  { situation: 'same content, carried by an older job, run without versions: no claim', stored: whole(), carried: true, options: {}, expected: { outcome: 'unchanged', documentId: 'doc' }, chunkCalls: 0 },
  {
    situation: 'same content held at a newer version: nothing to do',
    stored: { ...whole(), newer: true },
    options: { version: V },
    expected: { outcome: 'unchanged', documentId: 'doc' },
    chunkCalls: 0,
  },
  {
    situation: 'changed content, versioned: queued, the old version stays whole until the new one lands',
    stored: whole(otherHash),
    options: { version: V },
    expected: { outcome: 'updated', documentId: 'doc', chunks },
    chunkCalls: 1,
  },
  {
    situation: 'changed content, without versions: surplus chunks deleted now',
    stored: { contentHash: chunkSetHash(otherHash, chunks.length + 3), chunks: chunks.length + 3 },
    options: {},
    expected: { outcome: 'updated', documentId: 'doc', chunks, surplus: { fromChunk: chunks.length, upToVersion: undefined } },
    chunkCalls: 1,
  },
  {
    situation: 'changed to a document without chunks, versioned: nothing will be written, so its chunks go now up to the run',
    stored: whole(otherHash),
    own: [],
    options: { version: V },
    expected: { outcome: 'updated', documentId: 'doc', chunks: [], surplus: { fromChunk: 0, upToVersion: V } },
    chunkCalls: 1,
  },
  {
    situation: 'same content, some chunks lost (a job vanished): repaired, queued whole',
    stored: { contentHash: chunkSetHash(hash, chunks.length), chunks: 1 },
    options: { version: V },
    expected: { outcome: 'repaired', documentId: 'doc', chunks },
    chunkCalls: 1,
  },
  {
    situation: 'same content, bare hash, fewer chunks than the document has: repaired',
    stored: { contentHash: hash, chunks: chunks.length - 1 },
    options: {},
    expected: { outcome: 'repaired', documentId: 'doc', chunks, surplus: { fromChunk: chunks.length, upToVersion: undefined } },
    chunkCalls: 1,
  },
  {
    situation: 'same content, whole, with an older version\'s chunks beside it (a writer killed before its clean-up): repaired',
    stored: { ...whole(), otherChunks: 3 },
    carried: true,
    options: { version: V },
    expected: { outcome: 'repaired', documentId: 'doc', chunks },
    chunkCalls: 1,
  },
  {
    situation: 'same content, whole, other chunks beside it, run without versions: repaired, surplus deleted now',
    stored: { ...whole(), otherChunks: 1 },
    options: {},
    expected: { outcome: 'repaired', documentId: 'doc', chunks, surplus: { fromChunk: chunks.length, upToVersion: undefined } },
    chunkCalls: 1,
  },
  {
    situation: 'changed content, a later run holds it at a newer version: stale, nothing queued or deleted',
    stored: { ...whole(otherHash), newer: true },
    options: { version: V },
    expected: { outcome: 'stale', documentId: 'doc' },
    chunkCalls: 0,
  },
  {
    situation: 'partly stored at a newer version: stale (the later run heals its own)',
    stored: { contentHash: chunkSetHash(hash, chunks.length), chunks: 1, newer: true },
    options: { version: V },
    expected: { outcome: 'stale', documentId: 'doc' },
    chunkCalls: 0,
  },
  {
    situation: 'changed, "newer" but the run has no version: runs without versions are not ordered',
    stored: { ...whole(otherHash), newer: true },
    options: {},
    expected: { outcome: 'updated', documentId: 'doc', chunks, surplus: { fromChunk: chunks.length, upToVersion: undefined } },
    chunkCalls: 1,
  },
];

test('the planner: one decision per situation of a document', () => {
  assert.ok(chunks.length >= 3, `the test document has several chunks (${chunks.length})`);
  for (const row of rows) {
    const { input, calls } = facts(row.stored, row.carried, row.own);
    assert.deepEqual(planDocument(input, row.options), row.expected, row.situation);
    assert.equal(calls.chunkCalls, row.chunkCalls, `${row.situation}: chunked ${calls.chunkCalls} time(s)`);
  }
});

test('the planner: a bad row is rejected as it was read', () => {
  const reject: SourceReject = { kind: 'reject', source: 'a.csv', line: 4, reason: 'empty text (column "body")', excerpt: '4,,x' };
  assert.deepEqual(planDocument({ kind: 'reject', reject }, { version: V }), { outcome: 'rejected', reject });
});

test('the planner: only a versioned rewrite asks whether a later run holds the document', () => {
  const plan = (stored: StoredState | undefined, options: PlanOptions) => planDocument(facts(stored).input, options);
  const table: Array<[string, DocumentPlan, PlanOptions, boolean]> = [
    ['updated, versioned', plan(whole(otherHash), { version: V }), { version: V }, true],
    ['repaired, versioned', plan({ contentHash: hash, chunks: 1 }, { version: V }), { version: V }, true],
    ['updated, without versions', plan(whole(otherHash), {}), {}, false],
    ['added', plan(undefined, { version: V }), { version: V }, false],
    ['unchanged', plan(whole(), { version: V }), { version: V }, false],
    ['stale', plan({ ...whole(otherHash), newer: true }, { version: V }), { version: V }, false],
  ];
  for (const [label, decision, options, expected] of table) assert.equal(needsVersionLookup(decision, options), expected, label);
});

test('--prune: deletes vanished documents only on a first pass over a source read whole, up to the run', () => {
  const table: Array<[string, { prune?: boolean; pass: IngestPass; version?: number }, number, ReturnType<typeof planPrune>]> = [
    ['not asked for', { prune: false, pass: 'first', version: V }, 0, { kind: 'off' }],
    ['first pass, source read whole', { prune: true, pass: 'first', version: V }, 0, { kind: 'vanished', upToVersion: V }],
    ['first pass, run without versions', { prune: true, pass: 'first' }, 0, { kind: 'vanished', upToVersion: undefined }],
    ['heal pass: pruned already', { prune: true, pass: 'heal', version: V }, 0, { kind: 'off' }],
    ['check pass: plans only', { prune: true, pass: 'check', version: V }, 0, { kind: 'off' }],
  ];
  for (const [label, options, rejected, expected] of table) assert.deepEqual(planPrune(options, rejected), expected, label);

  const skipped = planPrune({ prune: true, pass: 'first', version: V }, 2);
  assert.equal(skipped.kind, 'skipped', 'two rejected records: the source was not read whole');
  assert.match(skipped.kind === 'skipped' ? skipped.reason : '', /^--prune \(prune\) deleted nothing: 2 record\(s\) were rejected or unreadable/);
});
