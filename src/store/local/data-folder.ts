// The embedded store's data folder as this process found it. A file where the folder should be is a
// configuration mistake, named in one line (it was a raw `ENOTDIR … /etc/passwd/aliases.json`). A
// folder that existed and is gone (deleted under a running `serve`) is an outage: the store's
// operations, health checks included, say so (STORE_UNAVAILABLE) instead of answering as an empty
// store whose every search is a 404 while /readyz stays 200. A folder not made yet is a new,
// empty store (the first write makes it).
import { statSync } from 'node:fs';
import { EmbedlineError } from '../../errors.ts';

export class DataFolder {
  /** The folder existed at some point while this process used it. */
  private seen = false;

  constructor(readonly path: string) {}

  /** Throws when the path is (or runs through) a file, or when the folder was seen and is gone. */
  check(): void {
    let isFolder: boolean;
    try {
      isFolder = statSync(this.path).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw notAFolder(this.path);
      if (code !== 'ENOENT') throw err;
      if (this.seen) {
        throw new EmbedlineError('STORE_UNAVAILABLE', `the data folder ${this.path} is gone (deleted while this process ran): restore it, or restart to start an empty store`, {
          retryable: true,
        });
      }
      return;
    }
    if (!isFolder) throw notAFolder(this.path);
    this.seen = true;
  }
}

function notAFolder(path: string): EmbedlineError {
  return new EmbedlineError('CONFIG_INVALID', `the data folder ${path} is not a folder (a file is in the way): set EMBEDLINE_DATA (the library's dataDir) to a folder`);
}
