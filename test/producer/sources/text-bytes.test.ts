import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTextBytes } from '../../../src/producer/sources/text-bytes.ts';
import { collect, tempDir, writeTempFile } from '../../support/temp-files.ts';

const READ_SIZE = 64 * 1024; // fs.createReadStream's default chunk size

test('CRLF becomes LF even when a read ends between the CR and the LF; lone CRs stay', async (t) => {
  const head = 'a'.repeat(READ_SIZE - 4); // after the 3-byte BOM, the CR is the first read's last byte
  const path = writeTempFile(tempDir(t), 'split.txt', `\uFEFF${head}\r\nnext\rline\r\n`);
  assert.equal(readFileSync(path)[READ_SIZE - 1], 0x0d);

  const text = Buffer.concat(await collect(readTextBytes(path))).toString('utf8');

  assert.equal(text, `${head}\nnext\rline\n`);
});

test('a file ending in a CR keeps it', async (t) => {
  const path = writeTempFile(tempDir(t), 'cr.txt', 'x\r');

  assert.equal(Buffer.concat(await collect(readTextBytes(path))).toString('utf8'), 'x\r');
});
