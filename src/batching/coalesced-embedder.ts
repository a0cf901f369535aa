// The worker's ONNX runs: the chunks of the jobs a worker holds (BullMQ concurrency) share runs instead
// of one call per job. Each job's texts are tokenized on arrival (a text the model refuses fails its
// own job there); whenever the embedder has a free session, one run is cut from the waiting rows of
// the oldest jobs sorted by length, up to the token budget, as the bare embedder cuts a whole corpus
// (embed/token-budget.ts), so merged jobs pad nearly as little as one large call; until a first job
// is done, only the oldest job's rows, so the first job after start-up is embedded soonest. Only rows that
// ask for the same pooling, normalisation and prompt share a run; a run's final failure is isolated
// per job (coalescer.ts runRound), a retryable one fails every job with a row in it.
import type { EmbedOptions, EmbedResult } from '../embed/embedder.ts';
import type { Pooling } from '../embed/pooling.ts';
import { runRound, type Pending } from './coalescer.ts';

/** The part of an Embedder this needs (tests pass a recording one). */
export interface TokenEmbedder {
  /** Upper bound on rows × padded length per run. */
  readonly maxBatchTokens: number;
  /** Runs the embedder does at once (its sessions); unset: 1. */
  readonly parallelRuns?: number;
  tokenize(texts: readonly string[], truncate?: boolean, prompt?: string): number[][];
  embedTokenIds(encoded: readonly number[][], options: Pick<EmbedOptions, 'pooling' | 'normalize'>): Promise<EmbedResult>;
}

export interface VectorChoices {
  pooling: Pooling;
  normalize: boolean;
  /** Put before every text (a collection's document prompt); "" or unset: none. */
  prompt?: string;
}

export interface WorkerBatching {
  /**
   * A run picks its rows among the oldest jobs' rows, whole jobs, until this many: the more rows, the
   * closer in length a run's rows are (less padding); the fewer, the sooner the oldest job is done and
   * written while later jobs still have rows to embed, so the sessions never wait for a write.
   */
  lookaheadRows: number;
  /** Runs handed to the embedder beyond its parallel runs: one waits ready, so a freed session starts at once. */
  extraRuns: number;
}

/**
 * Two full jobs (64 chunks each, queue/embed-job.ts) of the four a worker holds by default. On the
 * ingest bench's corpus (bench/ingest/last-batch-shape.md, 4 held jobs) runs cut this way compute 3.9 %
 * more padded tokens than the bare embedder's runs over the whole corpus, against 8.8 % with one call
 * per job, in 974 runs instead of 1,074; 256 rows pads the same. Timed on the shared host the speed
 * differences stayed within its noise. Fewer rows than all the held jobs' leave later jobs' rows to
 * keep the sessions busy while the first jobs are written.
 */
export const WORKER_EMBED_BATCHING: WorkerBatching = { lookaheadRows: 128, extraRuns: 1 };

interface Job {
  choices: Required<VectorChoices>;
  /** The choices as a key: rows of different keys never share a run. */
  key: string;
  vectors: Float32Array[];
  left: number;
  settled: boolean;
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: unknown) => void;
}

interface Row {
  job: Job;
  /** The row's position in its job's texts. */
  index: number;
  ids: number[];
}

export class CoalescedEmbedder {
  /** Rows waiting for a run, job by job in arrival order (a job's rows are contiguous). */
  private rows: Row[] = [];
  private running = 0;
  /**
   * Until a first job is done (answered or failed), runs are cut from the oldest job's rows only: after start-up the
   * first job is embedded (and written, and shown) as soon as the sessions can do it, instead of
   * sharing every run with the jobs behind it. Later jobs then share runs for less padding.
   */
  private firstJobDone = false;

  constructor(
    private readonly embedder: TokenEmbedder,
    private readonly options: WorkerBatching = WORKER_EMBED_BATCHING,
  ) {}

  /** Rows waiting and runs in flight (for tests). */
  get load(): { waiting: number; running: number } {
    return { waiting: this.rows.length, running: this.running };
  }

  /** One vector per text, in the texts' order. */
  async embed(texts: readonly string[], { pooling, normalize, prompt = '' }: VectorChoices): Promise<Float32Array[]> {
    // The key fixes the field order, so equal choices always make the same key.
    const choices: Required<VectorChoices> = { pooling, normalize, prompt };
    const encoded = this.embedder.tokenize(texts, false, prompt);
    if (encoded.length === 0) return [];
    return new Promise<Float32Array[]>((resolve, reject) => {
      const job: Job = { choices, key: JSON.stringify(choices), vectors: new Array<Float32Array>(encoded.length), left: encoded.length, settled: false, resolve, reject };
      encoded.forEach((ids, index) => this.rows.push({ job, index, ids }));
      this.pump();
    });
  }

  /** Starts runs while the embedder can take one and rows wait. */
  private pump(): void {
    const parallel = Math.max(1, this.embedder.parallelRuns ?? 1) + this.options.extraRuns;
    while (this.running < parallel && this.rows.length > 0) {
      const run = this.takeRun();
      this.running++;
      void this.runRows(run).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /**
   * One run's rows, among the rows of the oldest job's key in the oldest jobs (lookaheadRows), sorted
   * by length: the stretch that holds at least one row of the oldest job and, with as many rows as the
   * token budget allows at its longest row's length, wastes the least of the run on padding. The
   * oldest job advances every run, so jobs finish about in order; rows close in length pad least.
   */
  private takeRun(): Row[] {
    const oldest = this.rows[0].job;
    const lookahead = this.firstJobDone ? this.options.lookaheadRows : 1;
    const front: number[] = [];
    let job: Job | undefined;
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row.job !== job) {
        if (i >= lookahead) break;
        job = row.job;
      }
      if (row.job.key === oldest.key) front.push(i);
    }
    const length = (at: number) => this.rows[front[at]].ids.length;
    front.sort((a, b) => this.rows[a].ids.length - this.rows[b].ids.length || a - b);
    // Prefix sums of tokens and of the oldest job's rows, in sorted order.
    const tokens = [0];
    const ofOldest = [0];
    front.forEach((i, at) => {
      tokens.push(tokens[at] + this.rows[i].ids.length);
      ofOldest.push(ofOldest[at] + (this.rows[i].job === oldest ? 1 : 0));
    });
    // A run ending at each row takes as many rows below it as the budget allows; one that could still
    // take the next longer row is not a candidate (it would be a needlessly small run).
    const fit = (longest: number) => Math.max(1, Math.floor(this.embedder.maxBatchTokens / longest));
    let best = { start: 0, end: 0, waste: Infinity };
    for (let end = 0; end < front.length; end++) {
      const longest = length(end);
      const start = Math.max(0, end + 1 - fit(longest));
      const full = end + 1 - start === fit(longest) || end + 1 === front.length || end + 2 > fit(length(end + 1));
      if (!full || ofOldest[end + 1] - ofOldest[start] === 0) continue;
      const padded = (end + 1 - start) * longest;
      const waste = (padded - (tokens[end + 1] - tokens[start])) / padded;
      if (waste < best.waste) best = { start, end, waste };
    }
    const taken = new Set(front.slice(best.start, best.end + 1));
    const run = [...taken].map((i) => this.rows[i]);
    this.rows = this.rows.filter((_, i) => !taken.has(i));
    return run;
  }

  /** Embeds one run's rows; each job's part of it is one request, so a final failure is isolated per job. */
  private async runRows(run: readonly Row[]): Promise<void> {
    const parts = new Map<Job, Row[]>();
    for (const row of run) {
      const rows = parts.get(row.job);
      if (rows) rows.push(row);
      else parts.set(row.job, [row]);
    }
    const requests: Array<Pending<number[], Float32Array>> = [...parts].map(([job, rows]) => ({
      key: job.key,
      items: rows.map((r) => r.ids),
      resolve: (vectors) => this.answer(job, rows, vectors),
      reject: (err) => this.fail(job, err),
    }));
    const { choices, key } = run[0].job;
    const options = { pooling: choices.pooling, normalize: choices.normalize };
    await runRound(async (_key, items) => (await this.embedder.embedTokenIds(items, options)).vectors, key, requests);
  }

  private answer(job: Job, rows: readonly Row[], vectors: readonly Float32Array[]): void {
    if (job.settled) return;
    rows.forEach((row, i) => (job.vectors[row.index] = vectors[i]));
    job.left -= rows.length;
    if (job.left > 0) return;
    job.settled = true;
    this.firstJobDone = true;
    job.resolve(job.vectors);
  }

  /** A failed job's other rows are not embedded: its retry (BullMQ) embeds them all again. */
  private fail(job: Job, err: unknown): void {
    if (job.settled) return;
    job.settled = true;
    this.firstJobDone = true;
    this.rows = this.rows.filter((row) => row.job !== job);
    job.reject(err);
  }
}
