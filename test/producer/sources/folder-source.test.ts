import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from '../../../src/producer/chunking/content-hash.ts';
import { resolveChunkSettings } from '../../../src/producer/chunking/chunk-settings.ts';
import { folderSource } from '../../../src/producer/sources/folder-source.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';
import { documentsOf, rejectSummary } from './source-items.ts';

test('every .txt and .md file under the folder is a document, id = relative path with / separators', async (t) => {
  const root = tempDir(t);
  writeTempFile(root, 'b.md', '# B\n\nSecond.\n');
  writeTempFile(root, 'a.txt', '\uFEFFFirst, with a byte order mark.');
  writeTempFile(root, 'guides/setup/INSTALL.MD', 'Install it.');
  writeTempFile(root, 'guides/intro.txt', 'Intro.');
  writeTempFile(root, 'image.png', 'not text');
  writeTempFile(root, '.hidden/secret.md', 'Skipped.');
  writeTempFile(root, '.notes.md', 'Skipped too.');
  symlinkSync(join(root, 'a.txt'), join(root, 'link.txt'));

  const items = await collect(folderSource(root));

  assert.deepEqual(rejectSummary(items), [[1, 'is a symbolic link; links are not followed']]);
  assert.deepEqual(
    documentsOf(items).map((item) => [item.id, item.text, item.metadata, item.source]),
    [
      ['a.txt', 'First, with a byte order mark.', { path: 'a.txt', extension: 'txt' }, join(root, 'a.txt')],
      ['b.md', '# B\n\nSecond.\n', { path: 'b.md', extension: 'md' }, join(root, 'b.md')],
      ['guides/intro.txt', 'Intro.', { path: 'guides/intro.txt', extension: 'txt' }, join(root, 'guides/intro.txt')],
      ['guides/setup/INSTALL.MD', 'Install it.', { path: 'guides/setup/INSTALL.MD', extension: 'md' }, join(root, 'guides/setup/INSTALL.MD')],
    ],
  );
});

test('a file saved with CRLF line ends reads, and hashes, as the same file saved with LF (as in CSV and JSONL)', async (t) => {
  const windows = tempDir(t);
  const unix = tempDir(t);
  writeTempFile(windows, 'notes.txt', '\uFEFFFirst line.\r\nSecond line.\r\n\r\nA lone\rCR stays.\r\n');
  writeTempFile(unix, 'notes.txt', 'First line.\nSecond line.\n\nA lone\rCR stays.\n');

  const [fromWindows] = documentsOf(await collect(folderSource(windows)));
  const [fromUnix] = documentsOf(await collect(folderSource(unix)));

  assert.equal(fromWindows!.text, 'First line.\nSecond line.\n\nA lone\rCR stays.\n');
  assert.equal(fromWindows!.text, fromUnix!.text);
  const settings = resolveChunkSettings({ maxTokens: 256, specialTokenCount: 2 });
  assert.equal(contentHash(fromWindows!, settings), contentHash(fromUnix!, settings), 'unchanged text is not re-embedded after a checkout with other line ends');
});

test('empty, blank, invalid UTF-8 and over-large files are rejects; the rest are read', async (t) => {
  const root = tempDir(t);
  writeTempFile(root, '1-empty.txt', '');
  writeTempFile(root, '2-blank.md', ' \n\t\n');
  writeTempFile(root, '3-broken.txt', Buffer.concat([Buffer.from('line one\nline two\nbad '), Buffer.from([0xc0, 0xaf]), Buffer.from(' here\n')]));
  writeTempFile(root, '4-large.txt', 'x'.repeat(2000));
  writeTempFile(root, '5-fine.txt', 'Fine.');

  const items = await collect(folderSource(root, { maxFileBytes: 1000 }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['5-fine.txt']);
  assert.deepEqual(rejectSummary(items), [
    [1, 'empty file'],
    [1, 'file has only whitespace'],
    [3, 'file is not valid UTF-8'],
    [1, 'file is 2000 bytes, over the limit of 1000 (--max-file-bytes, maxFileBytes)'],
  ]);
});

test('extensions can be chosen', async (t) => {
  const root = tempDir(t);
  writeTempFile(root, 'a.rst', 'Restructured.');
  writeTempFile(root, 'b.txt', 'Plain.');

  const items = await collect(folderSource(root, { extensions: ['.rst'] }));

  assert.deepEqual(documentsOf(items).map((d) => d.id), ['a.rst']);
});

test('a folder without a file of the chosen extensions is an error naming them; a binary .txt is a reject', async (t) => {
  const root = tempDir(t);
  writeTempFile(root, 'photo.png', 'not text');
  await assert.rejects(collect(folderSource(root)), /has no \.txt or \.md files to index/);

  writeTempFile(root, 'data.txt', Buffer.from([0x00, 0x01, 0x41, 0x00]));
  assert.deepEqual(rejectSummary(await collect(folderSource(root))), [[1, 'file holds NUL bytes: a binary file, not text']]);
});

test('a FIFO named .txt is a reject naming it, never opened (opening one blocks until a writer comes)', async (t) => {
  const root = tempDir(t);
  writeTempFile(root, 'good.txt', 'A good file.');
  const made = spawnSync('mkfifo', [join(root, 'pipe.txt')]);
  if (made.status !== 0) return t.skip('mkfifo is not available here');

  const items = await collect(folderSource(root));

  assert.deepEqual(rejectSummary(items), [[1, 'is a named pipe (FIFO), not a regular file; it is not read']]);
  assert.deepEqual(documentsOf(items).map((d) => d.id), ['good.txt']);
});
