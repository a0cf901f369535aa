// Jobs completed per minute, from the per-minute counts BullMQ's workers record (metrics on).
// BullMQ writes a minute's count into its data list only when a job completes in a LATER minute;
// until then the latest minute lives in the meta counters (count − prevCount since prevTS). Reading
// only the list, as `status` did, said "0 jobs/min" for minutes after a run had finished.

/** What `Queue.getMetrics('completed', 0, n)` returns: newest minute first in `data`. */
export interface CompletedMetrics {
  meta: { count: number; prevTS: number; prevCount: number };
  data: number[];
}

const MINUTE_MS = 60_000;

/**
 * Jobs completed in the last `minutes` clock minutes (the current, partial one included), divided
 * by `minutes`. `data[i]` counts the minute `i + 1` before the one holding `meta.prevTS`.
 */
export function jobsPerMinute(metrics: CompletedMetrics, nowMs: number, minutes: number): number {
  const { meta, data } = metrics;
  if (meta.prevTS <= 0 || minutes <= 0) return 0;
  const firstMinute = Math.floor(nowMs / MINUTE_MS) - minutes + 1;
  const latestMinute = Math.floor(meta.prevTS / MINUTE_MS);
  let completed = latestMinute >= firstMinute ? meta.count - meta.prevCount : 0;
  for (let i = 0; i < data.length && latestMinute - 1 - i >= firstMinute; i++) completed += data[i];
  return completed / minutes;
}
