// What a worker's job outcomes feed: the job counters and durations of WorkerMetrics (when metrics are
// served) and one span per job attempt (when tracing is on), a child of the run that queued the job
// through the traceparent it carries. Built from the worker's completed/failed callbacks and BullMQ's
// own timestamps (processedOn: when the attempt began), so the worker itself is not changed for it.
import type { EmbedJobData } from '../queue/embed-job.ts';
import { recordSpan } from './tracing.ts';
import type { JobOutcome, WorkerMetrics } from './worker-metrics.ts';

/** The part of a BullMQ job this reads. */
export interface ObservedJob {
  id?: string;
  processedOn?: number;
  attemptsMade: number;
  data: Pick<EmbedJobData, 'collection' | 'chunks' | 'traceparent'>;
}

export interface JobObserver {
  done(job: ObservedJob, chunks: number, superseded: number): void;
  failed(job: ObservedJob, err: Error): void;
}

export function jobObserver(metrics: WorkerMetrics | undefined): JobObserver {
  const observe = (job: ObservedJob, outcome: JobOutcome, written: number | undefined, superseded: number | undefined, error?: Error): void => {
    const endMs = Date.now();
    const startMs = job.processedOn ?? endMs;
    metrics?.job(outcome, job.processedOn === undefined ? undefined : (endMs - startMs) / 1000);
    recordSpan('embedline.job', {
      parent: job.data.traceparent,
      startMs,
      endMs,
      error,
      attributes: {
        'embedline.job.id': job.id,
        'embedline.job.outcome': outcome,
        'embedline.job.attempt': job.attemptsMade,
        'embedline.collection': job.data.collection,
        'embedline.job.chunks': job.data.chunks.length,
        'embedline.job.chunks_written': written,
        'embedline.job.chunks_superseded': superseded,
      },
    });
  };
  return {
    done: (job, chunks, superseded) => observe(job, superseded > 0 ? 'superseded' : 'completed', chunks, superseded),
    failed: (job, err) => observe(job, 'failed', undefined, undefined, err),
  };
}
