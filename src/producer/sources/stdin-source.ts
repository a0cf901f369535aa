// Standard input as a source ("-"): an ingest reads its source more than once (a first pass, then
// verification passes against the store), and a pipe can be read only once, so stdin is copied to a
// spool file first and that file is read as the format given. The copy lives in a private folder
// under the system's temp folder; the source's close() removes it, and so does the process's exit
// if a run ends without closing it (a crash, a usage error before the run started).
import { mkdtempSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EmbedlineError } from '../../errors.ts';

/** The source path that means standard input. */
export const STDIN_PATH = '-';
/** What messages, rejects and default document ids call it. */
export const STDIN_NAME = 'stdin';

export interface Spool {
  path: string;
  /** Removes the spool file and its folder; safe to call more than once. */
  remove(): Promise<void>;
}

export async function spoolStdin(input: Readable & { isTTY?: boolean } = process.stdin): Promise<Spool> {
  if (input.isTTY) {
    throw new EmbedlineError('INPUT_INVALID', 'the source is stdin (-), but stdin is a terminal: pipe the data in (`… | embedline ingest - --format csv`)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'embedline-stdin-'));
  const path = join(dir, 'stdin');
  const removeNow = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeNow);
  const remove = async () => {
    process.removeListener('exit', removeNow);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await pipeline(input, createWriteStream(path));
  } catch (err) {
    await remove();
    throw new EmbedlineError('SOURCE_INVALID', `cannot read the source from stdin: ${(err as Error).message}`, { cause: err });
  }
  return { path, remove };
}
