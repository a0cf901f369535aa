// The rejects file: one JSON line per record a source could not use, so a run can finish and the
// user can fix and re-run just those rows. Opening truncates the file: a stale rejects file from an
// earlier run would blame rows that are now fine.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { EmbedlineError } from '../errors.ts';
import { excerpt } from './sources/excerpt.ts';
import type { SourceReject } from './sources/source-item.ts';

export type RejectRecord = Pick<SourceReject, 'source' | 'line' | 'reason' | 'excerpt'>;

export class RejectsFile {
  readonly path: string;
  private readonly stream: WriteStream;
  private written = 0;

  private constructor(path: string, stream: WriteStream) {
    this.path = path;
    this.stream = stream;
  }

  static async open(path: string): Promise<RejectsFile> {
    try {
      await mkdir(dirname(path), { recursive: true });
      const stream = createWriteStream(path, { flags: 'w' });
      await once(stream, 'open');
      return new RejectsFile(path, stream);
    } catch (err) {
      // One line naming the file and the cause, not a raw `ENOTDIR: … mkdir '/etc/passwd/rejects'`.
      throw new EmbedlineError('CONFIG_INVALID', `cannot write the rejects file ${path}: ${openFailure(err)} (its folder comes from --rejects, or EMBEDLINE_DATA)`, { cause: err });
    }
  }

  /** Rejects written so far. */
  get count(): number {
    return this.written;
  }

  async write(reject: RejectRecord): Promise<void> {
    const line = JSON.stringify({ source: reject.source, line: reject.line, reason: reject.reason, excerpt: excerpt(reject.excerpt) });
    this.written++;
    // Respect backpressure: a run with millions of bad rows must not buffer them all in memory.
    if (!this.stream.write(`${line}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.stream.closed) return;
    this.stream.end();
    await once(this.stream, 'close');
  }
}

function openFailure(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way where a folder should be';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
