// The producer's and operator's side of the embedding queue: add jobs with backpressure, wait for
// them, read counts and throughput, list and retry dead-lettered (failed) jobs.
import { Queue, QueueEvents } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMBED_JOB, EMBED_JOB_OPTIONS, EMBED_QUEUE, EVENTS_MAX_LEN, embedJobId, isSupersededResult, type EmbedJobData } from './embed-job.ts';
import { RunCounters } from './run-counters.ts';
import { closeWithin } from './bounded-close.ts';
import { bullmqConnection, queueKeyPrefix, type BullmqConnection } from './redis-client.ts';
import { redisAddress, type RedisConnectionOptions } from './redis-url.ts';
import { redisErrorLog } from './redis-error-log.ts';
import { jobsPerMinute } from './throughput.ts';

/** How often, and for how many jobs, waitForJobs double-checks states the events may have missed. */
const RECONCILE_INTERVAL_MS = 2000;
const RECONCILE_BATCH = 200;
/** Jobs read at once when looking for an older run's leftovers. */
const OLDER_JOBS_PAGE = 100;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Jobs completed as superseded since the counter began (see run-counters.ts). */
  superseded: number;
}

export interface FailedJob {
  id: string;
  collection: string;
  chunks: number;
  documents: string[];
  attempts: number;
  reason: string;
  failedAt?: number;
}

export interface JobOutcome {
  completed: number;
  failed: number;
  /**
   * Jobs Redis no longer knows (state `unknown`): completed and trimmed from the bounded history,
   * or lost with Redis's data. Job states cannot tell which; the caller asks the store.
   */
  gone: number;
  /** Chunks in completed jobs (the "chunks" figure of the ingest summary). */
  completedChunks: number;
  /** Completed jobs among them that were superseded: a newer version of a document was there first. */
  superseded: number;
  /** The reason of the first job that failed for good (`CODE: message`, see job-failure.ts). */
  firstFailure?: string;
}

export class EmbedQueue {
  readonly queue: Queue<EmbedJobData>;
  private readonly connection: RedisConnectionOptions;
  private readonly prefix: string;
  /** Connection errors of the queue and of waitForJobs' event reader: one throttled log line each. */
  private readonly onRedisError: (err: Error) => void;
  private readonly counters: RunCounters;
  /** The queue's connection (a Cluster client to release after closing). */
  private readonly queueConnection: BullmqConnection;

  constructor(connection: RedisConnectionOptions, prefix: string) {
    this.connection = connection;
    this.prefix = queueKeyPrefix(connection, prefix);
    this.counters = new RunCounters(connection, prefix);
    this.onRedisError = redisErrorLog('redis.error', redisAddress(connection));
    this.queueConnection = bullmqConnection(connection);
    this.queue = new Queue<EmbedJobData>(EMBED_QUEUE, {
      connection: this.queueConnection.connection,
      prefix: this.prefix,
      defaultJobOptions: EMBED_JOB_OPTIONS,
      streams: { events: { maxLen: EVENTS_MAX_LEN } },
    });
    this.queue.on('error', this.onRedisError);
  }

  /**
   * Adds a job unless the same work (same content-derived id) is already waiting or running. A
   * finished job with that id is replaced: the producer only queues chunks the store lacks, so a
   * finished twin means the store lost them (a wiped data folder) and the work must be redone.
   */
  async add(data: EmbedJobData): Promise<string> {
    const jobId = embedJobId(data.collection, data.chunks, data.run, data.version);
    const job = await this.queue.add(EMBED_JOB, data, { jobId });
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      await job.remove();
      await this.queue.add(EMBED_JOB, data, { jobId });
    }
    return jobId;
  }

  /** Jobs not yet taken by a worker. */
  async backlog(): Promise<number> {
    // Delayed jobs are not counted: they are retries waiting out a backoff, or jobs an ingest's own
    // worker set aside as another run's (leftovers of a killed ingest, possibly hundreds), which
    // would otherwise block this producer for good.
    const counts = await this.queue.getJobCounts('waiting', 'prioritized');
    return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
  }

  /** Backpressure: resolves once the backlog is below `limit`, so Redis never holds a whole corpus. */
  async waitForBacklogBelow(limit: number, pollMs = 200): Promise<void> {
    while ((await this.backlog()) >= limit) await sleep(pollMs);
  }

  /** A run number (write version) no run had before, above `floor` (the newest the store holds). */
  nextWriteVersion(floor: number): Promise<number> {
    return this.counters.nextWriteVersion(floor);
  }

  /**
   * Documents that jobs of `collection` queued by an older run (version below `version`) still
   * carry, in any state a worker may yet take them from or still holds them in (a paused worker's
   * active job, a failed job that `jobs retry` may bring back). Read page by page.
   */
  async documentsOfOlderJobs(collection: string, version: number): Promise<Set<string>> {
    const documents = new Set<string>();
    for (const state of ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const) {
      for (let start = 0; ; start += OLDER_JOBS_PAGE) {
        const jobs = await this.queue.getJobs([state], start, start + OLDER_JOBS_PAGE - 1);
        for (const job of jobs) {
          const data = job?.data;
          if (data?.collection === collection && (data.version ?? 0) < version) for (const chunk of data.chunks) documents.add(chunk.documentId);
        }
        if (jobs.length < OLDER_JOBS_PAGE) break;
      }
    }
    return documents;
  }

  async counts(): Promise<QueueCounts> {
    const [c, superseded] = await Promise.all([this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'), this.counters.supersededJobs()]);
    return {
      superseded,
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  /** Jobs completed per minute over the last `minutes` (needs workers started with metrics on). */
  async throughputPerMinute(minutes = 5): Promise<number> {
    return jobsPerMinute(await this.queue.getMetrics('completed', 0, minutes - 1), Date.now(), minutes);
  }

  async failedJobs(limit = 100): Promise<FailedJob[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((job) => {
      const data = job.data as EmbedJobData;
      return {
        id: String(job.id),
        collection: data.collection,
        chunks: data.chunks.length,
        documents: [...new Set(data.chunks.map((c) => c.documentId))],
        attempts: job.attemptsMade,
        reason: job.failedReason ?? '',
        failedAt: job.finishedOn,
      };
    });
  }

  /** Moves failed jobs (all, or the given ids) back to waiting; returns how many were retried. */
  async retryFailed(ids?: readonly string[]): Promise<number> {
    if (!ids || ids.length === 0) {
      const count = (await this.counts()).failed;
      await this.queue.retryJobs({ state: 'failed', count: 1000 });
      return count;
    }
    let retried = 0;
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      if (job && (await job.getState()) === 'failed') {
        await job.retry('failed');
        retried++;
      }
    }
    return retried;
  }

  /**
   * Waits until every job in `ids` has completed, failed for good or is gone. Events drive it; a
   * periodic check of job states covers events missed (the stream is capped) and jobs removed or
   * lost (a Redis that restarted empty): those count as `gone`, never as completed.
   */
  async waitForJobs(ids: ReadonlySet<string>, chunksPerJob: ReadonlyMap<string, number>, onProgress?: (o: JobOutcome) => void): Promise<JobOutcome> {
    const pending = new Set(ids);
    /** Ends the reconcile loop's wait as soon as the last job settles (no idle 2 s at the end of a run). */
    let wake = () => {};
    const outcome: JobOutcome = { completed: 0, failed: 0, gone: 0, completedChunks: 0, superseded: 0 };
    const settle = (id: string, state: 'completed' | 'failed' | 'gone', reason?: string, result?: unknown) => {
      if (!pending.delete(id)) return;
      if (state === 'completed') {
        outcome.completed++;
        outcome.completedChunks += chunksPerJob.get(id) ?? 0;
        if (isSupersededResult(result)) outcome.superseded++;
      } else outcome[state]++;
      if (state === 'failed') outcome.firstFailure ??= reason;
      onProgress?.({ ...outcome });
      if (pending.size === 0) wake();
    };
    const failedReason = async (id: string) => (await this.queue.getJob(id))?.failedReason;
    const eventsConnection = bullmqConnection(this.connection);
    const events = new QueueEvents(EMBED_QUEUE, { connection: eventsConnection.connection, prefix: this.prefix });
    events.on('error', this.onRedisError);
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, 'completed', undefined, returnvalue));
    events.on('failed', async ({ jobId, failedReason: reason }) => {
      // 'failed' fires for every failed attempt; only a job left in the failed set is final.
      if (pending.has(jobId) && (await this.queue.getJobState(jobId)) === 'failed') settle(jobId, 'failed', reason);
    });
    try {
      await events.waitUntilReady();
      while (pending.size > 0) {
        for (const id of [...pending].slice(0, RECONCILE_BATCH)) {
          const state = await this.queue.getJobState(id);
          if (state === 'completed') settle(id, state, undefined, (await this.queue.getJob(id))?.returnvalue);
          else if (state === 'failed') settle(id, state, await failedReason(id));
          else if (state === 'unknown') settle(id, 'gone');
        }
        if (pending.size > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, RECONCILE_INTERVAL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } finally {
      await closeWithin(events, this.connection.connectTimeout);
      eventsConnection.release();
    }
    return outcome;
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.queueConnection.release();
    await this.counters.close();
  }

  /** Closes the queue; with Redis gone a polite close never ends, so it is cut off after `graceMs`. */
  async closeWithin(graceMs: number): Promise<void> {
    await closeWithin(this.queue, graceMs);
    this.queueConnection.release();
    await this.counters.close();
  }
}
