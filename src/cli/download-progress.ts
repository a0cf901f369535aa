// A model download's progress: a bar with bytes on a TTY (stderr), structured log lines otherwise
// (src/hub/resolve-model.ts's progressLog), so a piped or logged run stays one JSON object a line.
import cliProgress from 'cli-progress';
import type { DownloadProgress } from '../hub/fetch-model.ts';
import { progressLog } from '../hub/resolve-model.ts';

/** `12.3 MB`: bytes in decimal megabytes, as download tools show them. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The progress callback for a download started by this process. */
export function downloadProgress(interactive = process.stderr.isTTY === true): (progress: DownloadProgress) => void {
  if (!interactive) return progressLog();
  let bar: cliProgress.SingleBar | undefined;
  return (p) => {
    const payload = { done: formatMegabytes(p.allBytes), all: formatMegabytes(p.allTotal), file: p.file };
    if (!bar) {
      bar = new cliProgress.SingleBar({ format: 'downloading {bar} {done} / {all} | {file}', stream: process.stderr, hideCursor: true });
      bar.start(p.allTotal, 0, payload);
    }
    bar.update(p.allBytes, payload);
    if (p.allBytes >= p.allTotal) {
      bar.stop();
      bar = undefined;
    }
  };
}
