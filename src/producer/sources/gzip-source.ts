// A gzip-compressed text source (data.csv.gz, data.jsonl.gz): the file is streamed through
// node:zlib into the format's own reader, with no temporary copy. Only whole lines are passed on
// until the stream has ended cleanly, so a truncated or corrupt file never yields a half line as a
// row: the rows before the damage are read, the broken line is dropped, and the read ends with one
// reject naming the file, the line reached (of the decompressed text) and the compressed byte
// offset. Damage before the first whole line is an error instead: there is nothing to keep.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EmbedlineError } from '../../errors.ts';
import { rejectItem, type SourceItem } from './source-item.ts';
import { LF } from './text-bytes.ts';

/**
 * The longest tail held back while waiting for its line end. Longer lines are passed on as they
 * come (the readers refuse such lines anyway: 4 × the 8 MiB row limit is the CSV parser's cap).
 */
const MAX_HELD_BYTES = 64 * 1024 * 1024;

interface Damage {
  line: number;
  offset: number;
  message: string;
}

/** `path` is read, `name` is what messages call it. */
export function gunzipInput(path: string, name: string) {
  let damage: Damage | undefined;
  async function* bytes(): AsyncGenerator<Buffer> {
    damage = undefined;
    const gunzip = createGunzip();
    pipeline(createReadStream(path), gunzip, () => {});
    let held: Buffer[] = [];
    let heldBytes = 0;
    let linesPassed = 0;
    try {
      for await (const data of gunzip) {
        const chunk = data as Buffer;
        const lastLf = chunk.lastIndexOf(LF);
        if (lastLf === -1 && heldBytes + chunk.length <= MAX_HELD_BYTES) {
          held.push(chunk);
          heldBytes += chunk.length;
          continue;
        }
        const cut = lastLf === -1 ? chunk.length : lastLf + 1;
        const out = Buffer.concat([...held, chunk.subarray(0, cut)]);
        held = cut < chunk.length ? [chunk.subarray(cut)] : [];
        heldBytes = chunk.length - cut;
        linesPassed += countLf(out);
        yield out;
      }
    } catch (err) {
      const offset = gunzip.bytesWritten;
      const reason = (err as Error).message;
      if (linesPassed === 0) {
        throw new EmbedlineError('SOURCE_INVALID', `${name}: the gzip data is damaged at compressed byte ${offset} (${reason}), before the first whole line`, {
          details: { path: name, offset },
          cause: err,
        });
      }
      damage = { line: linesPassed + 1, offset, message: reason };
      return;
    } finally {
      gunzip.destroy();
    }
    if (held.length > 0) yield Buffer.concat(held);
  }
  return {
    bytes,
    damage: (): SourceItem | undefined =>
      damage &&
      rejectItem(
        name,
        damage.line,
        `the gzip data ends or is damaged at compressed byte ${damage.offset} (${damage.message}): the rows before line ${damage.line} were read, this line and any after it were not`,
        '',
      ),
  };
}

function countLf(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}
