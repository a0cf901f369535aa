// The first SIGTERM or SIGINT asks a long-running command (worker, serve) to stop gracefully.
// Listen before announcing readiness: a supervisor (or a test) may signal the moment it reads
// "ready", and a signal that arrives before a listener exists kills the process outright.
// After the first signal both listeners are gone, so a second one still force-quits.
//
// Launched through npm (`npx embedline worker`, `npm run …`), the process is a grandchild of npm
// behind `sh -c`: npm passes SIGTERM to the shell, the shell dies, and the signal never reaches
// us. So, when npm launched us, our parent going away counts as a stop request too ('parent-exit').
// Only then: a worker started from a login shell with `nohup … &` must outlive that shell.
import { startupConfig } from './startup-config.ts';

export type StopSignal = 'SIGTERM' | 'SIGINT' | 'parent-exit';

/** How often the parent process is looked at (a getppid call; cheap). */
const PARENT_CHECK_MS = 500;

export function listenForStop(launchedByNpm = startupConfig().launchedByNpm): Promise<StopSignal> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const parentWatch = launchedByNpm
      ? setInterval(() => {
          if (process.ppid !== parent) stop('parent-exit');
        }, PARENT_CHECK_MS).unref()
      : undefined;
    const stop = (signal: StopSignal) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      clearInterval(parentWatch);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
