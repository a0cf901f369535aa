// Wraps each command's action: every error prints `error: <message>` (or, with --json, one line
// `{"error":{"code","message"}}`) on stderr and sets the exit code from the one table
// (exit-status.ts: 1 failure, 2 usage, 3 partial, 128 + N for signal N); it exits at once when
// Redis is away. A stack trace shows only with --verbose (or EMBEDLINE_VERBOSE=1); an error that is
// not an EmbedlineError (a bug) also prints a hint that --verbose shows the details.
import { isEmbedlineError } from '../errors.ts';
import { exitStatus } from './exit-status.ts';
import { verboseByConfig } from './startup-config.ts';

export function isVerbose(): boolean {
  return process.argv.includes('--verbose') || verboseByConfig();
}

let jsonErrors = false;

/** Set from the command line about to run (main.ts): with --json, errors come as one JSON line too. */
export function setErrorFormat(args: readonly string[]): void {
  jsonErrors = args.includes('--json');
}

/** Whether errors are printed as JSON lines (the command line has --json). */
export function wantsJson(): boolean {
  return jsonErrors;
}

/** The one JSON line an error becomes under --json (code from src/errors.ts, or UNEXPECTED for a bug). */
export function errorJsonLine(code: string, message: string): string {
  return `${JSON.stringify({ error: { code, message } })}\n`;
}

export function reportError(err: unknown): void {
  if (wantsJson()) {
    process.stderr.write(errorJsonLine(isEmbedlineError(err) ? err.code : 'UNEXPECTED', err instanceof Error ? err.message : String(err)));
    if (isVerbose() && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return;
  }
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
