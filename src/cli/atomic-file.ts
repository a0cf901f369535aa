// Writes an output file so that readers see either nothing or the whole file: lines go to a
// temporary sibling that is renamed into place only when the writer commits.
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class AtomicFileWriter {
  private readonly temp: string;
  private readonly stream: WriteStream;

  constructor(private readonly path: string) {
    this.temp = `${path}.partial-${process.pid}`;
    this.stream = createWriteStream(this.temp);
  }

  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    renameSync(this.temp, this.path);
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await once(this.stream, 'close').catch(() => undefined);
    rmSync(this.temp, { force: true });
  }
}
