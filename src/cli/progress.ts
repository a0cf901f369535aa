// Ingest progress: a bar on a TTY, a structured log line every few seconds otherwise.
// While the source is still being read the total is not known, so the line says "counting…"
// instead of a bar against a made-up total, and an ETA appears only once it means something
// (total known, and a rate measured from chunks already embedded).
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../core/run-ingest.ts';
import { log } from '../log.ts';

/** What the ingest run reports as it goes (core/run-ingest.ts). */
export type IngestProgressState = IngestProgress;

export interface ProgressReporter {
  update(state: IngestProgressState): void;
  stop(): void;
}

const LOG_INTERVAL_MS = 5000;
const BAR_WIDTH = 30;

/** Chunks embedded per second so far (0 before anything was embedded or any time passed). */
export function chunksPerSecond(state: IngestProgressState, elapsedMs: number): number {
  return elapsedMs > 0 ? (state.chunksEmbedded * 1000) / elapsedMs : 0;
}

/** Seconds as a short duration: `45s`, `3m05s`, `2h07m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line for a terminal; pure, so what a user sees at each stage can be tested. */
export function formatIngestProgress(state: IngestProgressState, elapsedMs: number, barWidth = BAR_WIDTH): string {
  const rate = chunksPerSecond(state, elapsedMs);
  const read = `${state.documents} docs read, ${state.rejected} rejected`;
  const speed = `${rate.toFixed(1)} chunks/s`;
  if (!state.sourceDone) {
    return `counting… ${state.chunksEmbedded} of ${state.chunksQueued}+ chunks embedded | ${read} | ${speed}`;
  }
  const total = state.chunksQueued;
  const done = Math.min(state.chunksEmbedded, total);
  const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
  const bar = '\u2588'.repeat(filled) + '\u2591'.repeat(barWidth - filled);
  const remaining = total - done;
  const eta = remaining > 0 && rate > 0 ? ` | ETA ${formatDuration(remaining / rate)}` : '';
  return `${bar} ${done}/${total} chunks embedded | ${read} | ${speed}${eta}`;
}

export function createProgressReporter(enabled: boolean): ProgressReporter {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let latest: IngestProgressState = { documents: 0, rejected: 0, chunksQueued: 0, chunksEmbedded: 0, sourceDone: false };

  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({
      format: () => formatIngestProgress(latest, Date.now() - started),
      stream: process.stderr,
      hideCursor: true,
    });
    bar.start(1, 0);
    let stopped = false;
    return {
      update: (s) => {
        latest = { ...s };
        bar.update(s.chunksEmbedded);
      },
      stop: () => {
        if (stopped) return;
        stopped = true;
        bar.update(latest.chunksEmbedded);
        bar.stop();
      },
    };
  }

  let last = 0;
  let seen = false;
  let stopped = false;
  const emit = (s: IngestProgressState) =>
    log('info', 'ingest.progress', { ...s, chunksPerSecond: Number(chunksPerSecond(s, Date.now() - started).toFixed(1)) });
  return {
    update: (s) => {
      latest = { ...s };
      seen = true;
      if (Date.now() - last >= LOG_INTERVAL_MS) {
        last = Date.now();
        emit(latest);
      }
    },
    stop: () => {
      if (seen && !stopped) emit(latest);
      stopped = true;
    },
  };
}
