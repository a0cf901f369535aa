// Wraps each command's action: known errors print `error: <message>` and exit non-zero with no
// stack trace (unless --verbose); anything else is a bug and shows its stack.
import { isEmbedlineError } from '../errors.ts';

export function isVerbose(): boolean {
  return process.argv.includes('--verbose') || process.env.EMBEDLINE_VERBOSE === '1';
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

export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
      process.exitCode = 1;
    }
  };
}
