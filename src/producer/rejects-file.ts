// The rejects file: one JSON line per record a source could not use, so a run can finish and the
// user can fix and re-run just those rows. Never silently overwritten: the default name is per run
// (`<collection>-<timestamp>.jsonl`, run-ingest.ts), and a file named with --rejects is appended
// to. The folder is checked as the run starts (a bad --rejects fails before any work); the file
// itself is created by the first reject, so a clean run leaves no empty file behind. The reasons
// are counted, so the run's summary can name the commonest.
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { EmbedlineError } from '../errors.ts';
import { excerpt } from './sources/excerpt.ts';
import type { SourceReject } from './sources/source-item.ts';

export type RejectRecord = Pick<SourceReject, 'source' | 'line' | 'reason' | 'excerpt'>;

/** How many of the commonest reasons a run's summary and errors name. */
export const REASONS_SHOWN = 3;

/** A reason and how many records were rejected for it. */
export interface ReasonCount {
  reason: string;
  count: number;
}

export class RejectsFile {
  readonly path: string;
  private stream: WriteStream | undefined;
  private written = 0;
  private readonly reasons = new Map<string, number>();

  private constructor(path: string) {
    this.path = path;
  }

  static async open(path: string): Promise<RejectsFile> {
    try {
      await mkdir(dirname(path), { recursive: true });
      await access(dirname(path), constants.W_OK);
      return new RejectsFile(path);
    } catch (err) {
      throw openError(path, err);
    }
  }

  /** Rejects written so far. */
  get count(): number {
    return this.written;
  }

  /** The `n` commonest reasons, most frequent first (ties: the reason seen first). */
  topReasons(n: number): ReasonCount[] {
    return [...this.reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, n);
  }

  async write(reject: RejectRecord): Promise<void> {
    const line = JSON.stringify({ source: reject.source, line: reject.line, reason: reject.reason, excerpt: excerpt(reject.excerpt) });
    this.written++;
    this.reasons.set(reject.reason, (this.reasons.get(reject.reason) ?? 0) + 1);
    const stream = this.stream ?? (this.stream = await this.openStream());
    // Respect backpressure: a run with millions of bad rows must not buffer them all in memory.
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }

  async close(): Promise<void> {
    if (!this.stream || this.stream.closed) return;
    this.stream.end();
    await once(this.stream, 'close');
  }

  private async openStream(): Promise<WriteStream> {
    try {
      const stream = createWriteStream(this.path, { flags: 'a' });
      await once(stream, 'open');
      return stream;
    } catch (err) {
      throw openError(this.path, err);
    }
  }
}

/** Reasons as one line names them: `12× empty text; 3× too long`. */
export function formatReasons(reasons: readonly ReasonCount[]): string {
  return reasons.map(({ reason, count }) => `${count}× ${reason}`).join('; ');
}

/** One line naming the file and the cause, not a raw `ENOTDIR: … mkdir '/etc/passwd/rejects'`. */
function openError(path: string, err: unknown): EmbedlineError {
  return new EmbedlineError('CONFIG_INVALID', `cannot write the rejects file ${path}: ${openFailure(err)} (its folder comes from --rejects, or EMBEDLINE_DATA)`, { cause: err });
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
