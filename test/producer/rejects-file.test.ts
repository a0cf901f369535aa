import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRejectsPath } from '../../src/core/run-ingest.ts';
import { formatReasons, REASONS_SHOWN, RejectsFile } from '../../src/producer/rejects-file.ts';
import { tempDir } from '../support/temp-files.ts';

test('rejects are JSON lines of source, line, reason and an excerpt of at most 200 characters', async (t) => {
  const path = join(tempDir(t), 'out', 'rejects.jsonl');
  const rejects = await RejectsFile.open(path);

  await rejects.write({ source: 'a.csv', line: 3, reason: 'empty text (column "text")', excerpt: '3,,en' });
  // 199 characters then an emoji: the cut must not leave half of its surrogate pair.
  await rejects.write({ source: 'a.csv', line: 9, reason: 'too long', excerpt: `${'x'.repeat(198)}😀${'y'.repeat(500)}` });
  await rejects.close();

  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.equal(rejects.count, 2);
  assert.deepEqual(lines[0], { source: 'a.csv', line: 3, reason: 'empty text (column "text")', excerpt: '3,,en' });
  assert.deepEqual(Object.keys(lines[1]), ['source', 'line', 'reason', 'excerpt']);
  assert.equal(lines[1].excerpt, `${'x'.repeat(198)}…`);
});

test('a named rejects file is appended to, never replaced; a run without rejects creates no file', async (t) => {
  const path = join(tempDir(t), 'rejects.jsonl');
  writeFileSync(path, '{"earlier": true}\n');

  const clean = await RejectsFile.open(join(tempDir(t), 'clean', 'rejects.jsonl'));
  await clean.close();
  assert.equal(existsSync(clean.path), false, 'no empty file from a clean run');

  const rejects = await RejectsFile.open(path);
  await rejects.write({ source: 'a.csv', line: 2, reason: 'empty text', excerpt: '2,,x' });
  await rejects.close();

  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines[0], { earlier: true });
  assert.equal(lines[1].line, 2);
  assert.equal(rejects.count, 1);
});

test('the commonest reasons are counted, most frequent first, and formatted on one line', async (t) => {
  const rejects = await RejectsFile.open(join(tempDir(t), 'rejects.jsonl'));
  const reasons = ['b', 'a', 'b', 'c', 'b', 'a', 'd', 'c', 'a', 'a'];
  for (const [i, reason] of reasons.entries()) await rejects.write({ source: 's', line: i + 1, reason, excerpt: '' });
  await rejects.close();
  const counted = (r: string) => reasons.filter((x) => x === r).length;
  const top = rejects.topReasons(REASONS_SHOWN);
  assert.deepEqual(top, ['a', 'b', 'c'].map((reason) => ({ reason, count: counted(reason) })));
  assert.equal(formatReasons(top), `${counted('a')}× a; ${counted('b')}× b; ${counted('c')}× c`);
});

test('the default rejects file is per run: two runs a millisecond apart get two files', () => {
  const first = defaultRejectsPath('/data', 'docs', new Date('2026-01-02T03:04:05.006Z'));
  const second = defaultRejectsPath('/data', 'docs', new Date('2026-01-02T03:04:05.007Z'));
  assert.equal(first, '/data/rejects/docs-2026-01-02T03-04-05-006Z.jsonl');
  assert.notEqual(first, second);
});

test('a file where the rejects folder should be is one line naming the rejects file (it was a raw ENOTDIR … mkdir)', async (t) => {
  const file = join(tempDir(t), 'data');
  writeFileSync(file, 'not a folder');
  const path = join(file, 'rejects', 'notes.jsonl');
  await assert.rejects(RejectsFile.open(path), {
    code: 'CONFIG_INVALID',
    message: `cannot write the rejects file ${path}: a file is in the way where a folder should be (its folder comes from --rejects, or EMBEDLINE_DATA)`,
  });
});
