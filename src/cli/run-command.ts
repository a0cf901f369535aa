// Wraps each command's action: every error prints `error: <message>` and exits non-zero (at once
// when Redis is away; 128 + the signal's number when a signal stopped the run). A stack trace shows only with --verbose (or EMBEDLINE_VERBOSE=1); an error
// that is not an EmbedlineError (a bug) also prints a hint that --verbose shows the details.
import { constants } from 'node:os';
import { isEmbedlineError } from '../errors.ts';
import { verboseByConfig } from './startup-config.ts';

export function isVerbose(): boolean {
  return process.argv.includes('--verbose') || verboseByConfig();
}

export function reportError(err: unknown): void {
  if (isEmbedlineError(err)) {
    process.stderr.write(`error: ${err.message}\n`);
    if (isVerbose() && err.stack) process.stderr.write(`${err.stack}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (isVerbose() && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run with --verbose for details)\n');
  }
}

/** 128 + the signal's number for a run a signal stopped (130 for Ctrl-C, as a shell reports it); else 1. */
function exitStatus(err: unknown): number {
  const signal = isEmbedlineError(err) && err.code === 'INTERRUPTED' ? err.details?.signal : undefined;
  return typeof signal === 'string' && Object.hasOwn(constants.signals, signal) ? 128 + constants.signals[signal as keyof typeof constants.signals] : 1;
}

export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
      process.exitCode = exitStatus(err);
      // Stopped because Redis is away: BullMQ's clients would keep the process alive reconnecting.
      if (isEmbedlineError(err) && err.code === 'QUEUE_UNAVAILABLE') process.exit(1);
    }
  };
}
