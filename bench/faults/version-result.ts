// What one version-ordering scenario found, and what every one of them shares: a fresh rig (private
// Redis, fresh store) holding versions of one corpus (test/support/versioned-corpus.ts), commands
// run to their end, and the ending: the store read back raw and checked against the texts the
// scenario expects last (every document's text and chunk count, no mixes, no duplicates), with the
// queue's superseded and failed jobs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkVersion, holdsExactly, ingestArgs, writeCorpus, type CorpusVersion, type VersionCheck } from '../../test/support/versioned-corpus.ts';
import { COLLECTION, IngestRig, ingestOutcome, type IngestOutcome, type StoreKind } from './ingest-rig.ts';

const STOP_TIMEOUT_MS = 15_000;

export interface VersionContext {
  dir: string;
  /** Documents per corpus version. */
  documents: number;
  store: StoreKind;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Past this a command counts as hung and is killed. */
  commandTimeoutMs: number;
  /** Uniform in [low, high), from the runner's seeded generator. */
  between(low: number, high: number): number;
  log(message: string): void;
}

export interface VersionResult {
  id: string;
  scenario: string;
  store: StoreKind;
  /** What the store must hold at the end, in words ("v2", "v1 + 50 new documents"). */
  expected: string;
  check?: VersionCheck;
  /** Jobs completed as superseded (never written), from the run counters. */
  superseded?: number;
  failedJobs?: number;
  /** Wall time of the whole scenario, set-up ingests included. */
  seconds: number;
  exact: boolean;
  /** Every command exited 0, yet the store is not what it must be. */
  silentLoss: boolean;
  notes: string[];
}

/** Runs `body` on a fresh rig for this scenario and always tears the rig down. */
export async function withVersionRig<T>(ctx: VersionContext, name: string, body: (rig: IngestRig) => Promise<T>): Promise<T> {
  const first = corpusVersion(ctx, name, 1);
  const rig = await IngestRig.start({
    dir: join(ctx.dir, name),
    // Only for IngestRig.startIngest, which these scenarios do not use: every command goes through startCommand.
    corpus: { path: first.path, documents: first.texts.size, ingestArgs: ingestArgs(first).slice(1) },
    store: ctx.store,
    lockDurationMs: ctx.lockDurationMs,
    stalledIntervalMs: ctx.stalledIntervalMs,
    ingestTimeoutMs: ctx.commandTimeoutMs,
  });
  try {
    return await body(rig);
  } finally {
    await rig.close();
  }
}

/**
 * Version `version` of the scenario's corpus (in COLLECTION), written into its own folder (`sub`
 * for a second file of the same version, e.g. a superset or a damaged copy).
 */
export function corpusVersion(ctx: VersionContext, scenario: string, version: number, documents = ctx.documents, sub = ''): CorpusVersion {
  const dir = join(ctx.dir, scenario, 'corpus', sub);
  mkdirSync(dir, { recursive: true });
  return writeCorpus(dir, COLLECTION, version, documents);
}

/** Runs one `embedline` command on the rig to its end and returns its outcome. */
export async function runCommand(rig: IngestRig, name: string, args: string[]): Promise<IngestOutcome> {
  return ingestOutcome(rig.startCommand(name, args));
}

/** Ingests a version with the command's own in-process worker (the default), to its end. */
export function ingestVersion(rig: IngestRig, corpus: CorpusVersion, extra: string[] = []): Promise<IngestOutcome> {
  return runCommand(rig, `ingest v${corpus.version}${extra.length ? ` ${extra.join(' ')}` : ''}`, ingestArgs(corpus, extra));
}

/** The store read back raw and checked against `expected` (one text per document). */
export async function checkStore(rig: IngestRig, expected: ReadonlyMap<string, string>): Promise<VersionCheck> {
  return checkVersion((await rig.readStore()).map((row) => row.chunk), expected);
}

export function describeCheck(c: VersionCheck): string {
  const found = `${c.current}/${c.documents} documents exact (${c.rows} rows)`;
  const off = [
    c.older > 0 ? `${c.older} at an older version` : '',
    c.mixed > 0 ? `${c.mixed} mixed` : '',
    c.missing.length > 0 ? `${c.missing.length} missing` : '',
    c.extra.length > 0 ? `${c.extra.length} not expected` : '',
    c.duplicates > 0 ? `${c.duplicates} duplicate rows` : '',
    c.malformed.length > 0 ? `${c.malformed.length} malformed (${c.malformed.slice(0, 2).join('; ')})` : '',
  ].filter(Boolean);
  return off.length === 0 ? found : `${found}; ${off.join(', ')}`;
}

export interface Ending {
  id: string;
  scenario: string;
  expected: string;
  texts: ReadonlyMap<string, string>;
  /** performance.now() when the scenario began. */
  startedAt: number;
  /** Every command the user ran exited 0 (so a store that is not exact is a silent loss). */
  allExitedZero: boolean;
  notes: string[];
}

/** The common ending: check the store, read the queue's superseded and failed counts, make the result. */
export async function conclude(rig: IngestRig, e: Ending): Promise<VersionResult> {
  const check = await checkStore(rig, e.texts);
  const counts = await rig.queueCounts().catch(() => undefined);
  const exact = holdsExactly(check);
  const notes = [...e.notes, `store at the end: ${describeCheck(check)}`];
  if (e.allExitedZero && !exact) notes.push('SILENT LOSS: every command exited 0 but the store is not the expected version');
  return {
    id: e.id,
    scenario: e.scenario,
    store: rig.options.store,
    expected: e.expected,
    check,
    superseded: counts?.superseded,
    failedJobs: counts?.failed,
    seconds: (performance.now() - e.startedAt) / 1000,
    exact,
    silentLoss: e.allExitedZero && !exact,
    notes,
  };
}

/** Stops every worker as an operator would (a paused one is resumed first), waiting at most 15 s; nothing writes after this. */
export async function stopWorkers(rig: IngestRig): Promise<void> {
  for (const w of rig.workers) {
    w.signal('SIGCONT');
    w.signal('SIGTERM');
  }
  await Promise.race([Promise.all(rig.workers.map((w) => w.exited)), sleep(STOP_TIMEOUT_MS)]);
  for (const w of rig.workers) w.signal('SIGKILL');
  await Promise.all(rig.workers.map((w) => w.exited));
}

export const exitedZero = (o: IngestOutcome) => o.exit.code === 0 && !o.exit.timedOut;
