// A temporary folder that lives exactly as long as one piece of work: removed when the work ends,
// fails, or the user interrupts it (SIGINT/SIGTERM), so a throw-away store never outlives the
// command that built it.
//
// A signal does not end the process on the spot: exiting while onnxruntime threads are mid-run can
// abort the whole process inside onnxruntime-node (a native "terminate called"), before anything is
// cleaned up. Instead the signal aborts the work's AbortSignal, the work stops at its next step,
// and then the folder is removed and the process exits 128 + the signal number (the shell's
// convention for "ended by that signal"). The folder is also removed the moment the signal
// arrives, so a second Ctrl-C (which, with the listeners gone, kills at once) leaves little behind;
// that early removal races the store's own writer threads, so it is best effort, and the removal
// once the work has stopped retries what a late write put back (ENOTEMPTY).
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function withScratchDir<T>(prefix: string, work: (dir: string, signal: AbortSignal) => Promise<T>): Promise<T> {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), prefix));
  } catch (err) {
    throw new EmbedlineError('CONFIG_INVALID', `cannot create a temporary folder in ${tmpdir()}: ${(err as Error).message}`, { cause: err });
  }
  const remove = (): boolean => {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      return true;
    } catch {
      return false;
    }
  };
  const stop = new AbortController();
  let received: NodeJS.Signals | undefined;
  const stopListening = () => SIGNALS.forEach((s) => process.off(s, onSignal));
  function onSignal(signal: NodeJS.Signals) {
    received = signal;
    stopListening();
    remove();
    stop.abort();
  }
  SIGNALS.forEach((s) => process.on(s, onSignal));
  try {
    return await work(dir, stop.signal);
  } finally {
    stopListening();
    const removed = remove();
    const what = `the temporary folder ${dir} ${removed ? 'was removed' : 'could not be removed: delete it by hand'}`;
    if (received) {
      process.stderr.write(`error: interrupted by ${received}; ${what}\n`);
      process.exit(128 + constants.signals[received]);
    }
    if (!removed) log('warn', 'scratch-dir.left-behind', { message: what });
  }
}
