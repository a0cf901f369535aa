import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectsFile } from '../../src/producer/rejects-file.ts';
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

test('opening replaces the rejects of an earlier run', async (t) => {
  const path = join(tempDir(t), 'rejects.jsonl');
  writeFileSync(path, '{"stale": true}\n');

  const rejects = await RejectsFile.open(path);
  await rejects.close();

  assert.equal(readFileSync(path, 'utf8'), '');
  assert.equal(rejects.count, 0);
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
