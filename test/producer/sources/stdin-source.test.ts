// stdin's spool file in-process (the library's case: the process lives on after the run, so the
// exit hook alone would leave the copy behind): spoolStdin copies what it is given and remove()
// deletes it; a terminal on stdin is refused instead of waiting for typing. The CLI path ("-" with
// --format, and without it) is in sources-cli.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { spoolStdin } from '../../../src/producer/sources/stdin-source.ts';
import { isEmbedlineError } from '../../../src/errors.ts';

test('the spool holds exactly what came in, and remove() deletes it and its exit hook', async () => {
  const exitHooks = process.listenerCount('exit');
  const bytes = Buffer.concat([Buffer.from('id,text\n'), Buffer.alloc(300_000, 0x61), Buffer.from('\n')]);

  const spool = await spoolStdin(Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]));

  assert.deepEqual(readFileSync(spool.path), bytes);
  assert.equal(process.listenerCount('exit'), exitHooks + 1);
  await spool.remove();
  await spool.remove();
  assert.equal(existsSync(dirname(spool.path)), false);
  assert.equal(process.listenerCount('exit'), exitHooks);
});

test('a terminal on stdin is refused: nothing would ever end the input', async () => {
  const tty = Object.assign(Readable.from([]), { isTTY: true });

  await assert.rejects(spoolStdin(tty), (err) => isEmbedlineError(err) && err.code === 'INPUT_INVALID' && /stdin is a terminal: pipe the data in/.test(err.message));
});
