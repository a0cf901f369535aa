// Ingest progress: a bar on a TTY, a structured log line every few seconds otherwise.
import cliProgress from 'cli-progress';
import { log } from '../log.ts';

export interface IngestProgressState {
  documents: number;
  rejected: number;
  chunksQueued: number;
  chunksEmbedded: number;
  /** True once the whole source has been read (the total is then final). */
  sourceDone: boolean;
}

export interface ProgressReporter {
  update(state: IngestProgressState): void;
  stop(): void;
}

const LOG_INTERVAL_MS = 5000;

export function createProgressReporter(enabled: boolean): ProgressReporter {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const rate = (s: IngestProgressState) => s.chunksEmbedded / Math.max((Date.now() - started) / 1000, 1e-3);

  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{bar} {value}/{total} chunks embedded | {documents} docs read, {rejected} rejected | {rate} chunks/s | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { documents: 0, rejected: 0, rate: '0.0' });
    return {
      update: (s) => {
        bar.setTotal(Math.max(s.chunksQueued, 1));
        bar.update(s.chunksEmbedded, { documents: s.documents, rejected: s.rejected, rate: rate(s).toFixed(1) });
      },
      stop: () => bar.stop(),
    };
  }

  let last = 0;
  let latest: IngestProgressState | undefined;
  let stopped = false;
  const emit = (s: IngestProgressState) => log('info', 'ingest.progress', { ...s, chunksPerSecond: Number(rate(s).toFixed(1)) });
  return {
    update: (s) => {
      latest = s;
      if (Date.now() - last >= LOG_INTERVAL_MS) {
        last = Date.now();
        emit(s);
      }
    },
    stop: () => {
      if (latest && !stopped) emit(latest);
      stopped = true;
    },
  };
}
