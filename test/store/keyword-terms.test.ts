// The keyword tokeniser both stores index with and every keyword query is cut by: lower case, NFKC,
// letter/digit runs, CJK as overlapping character bigrams; and the Qdrant keyword vectors built on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keywordTerms, MAX_TERM_CHARS, termCounts } from '../../src/store/keyword-terms.ts';
import { chunkKeywordVector, queryKeywordVector, termIndex } from '../../src/store/qdrant/keyword-vector.ts';

test('latin text: lower-cased runs of letters, digits and _, punctuation splits', () => {
  assert.deepEqual(keywordTerms('Reset XK-2231 via user_id, café!'), ['reset', 'xk', '2231', 'via', 'user_id', 'café']);
  // NFKC: full-width letters and ligatures read as their plain forms.
  assert.deepEqual(keywordTerms('ＡＢＣ１２ ﬁle'), ['abc12', 'file']);
});

test('CJK runs become overlapping character bigrams, a lone character stays whole, mixed runs split by script', () => {
  assert.deepEqual(keywordTerms('向量数据库'), ['向量', '量数', '数据', '据库']);
  assert.deepEqual(keywordTerms('猫'), ['猫']);
  assert.deepEqual(keywordTerms('GPU加速で検索'), ['gpu', '加速', '速で', 'で検', '検索']);
  assert.deepEqual(keywordTerms('한국어 검색'), ['한국', '국어', '검색']);
});

test('terms longer than MAX_TERM_CHARS are dropped; counts keep repeats', () => {
  assert.deepEqual(keywordTerms(`ok ${'x'.repeat(MAX_TERM_CHARS + 1)} ${'y'.repeat(MAX_TERM_CHARS)}`), ['ok', 'y'.repeat(MAX_TERM_CHARS)]);
  assert.deepEqual([...termCounts('to be or not to be')], [['to', 2], ['be', 2], ['or', 1], ['not', 1]]);
  assert.deepEqual(keywordTerms(' --- !? '), []);
});

test('Qdrant keyword vectors: unique uint32 indices, saturated term weights, one per distinct query term', () => {
  const chunk = chunkKeywordVector('router router router power') as { indices: number[]; values: number[] };
  assert.equal(new Set(chunk.indices).size, chunk.indices.length);
  assert.ok(chunk.indices.every((i) => Number.isInteger(i) && i >= 0 && i < 2 ** 32));
  const weight = (tf: number) => (tf * 2.2) / (tf + 1.2);
  assert.deepEqual(chunk.values, [weight(3), weight(1)]);
  assert.deepEqual(queryKeywordVector('Router ROUTER power'), { indices: [termIndex('router'), termIndex('power')], values: [1, 1] });
  assert.equal(queryKeywordVector('?!'), undefined);
  assert.equal(chunkKeywordVector(''), undefined);
  // FNV-1a 32 of "a" is 0xe40c292c.
  assert.equal(termIndex('a'), 0xe40c292c);
});
