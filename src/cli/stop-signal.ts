// The first SIGTERM or SIGINT asks a long-running command (worker, serve) to stop gracefully.
// Listen before announcing readiness: a supervisor (or a test) may signal the moment it reads
// "ready", and a signal that arrives before a listener exists kills the process outright.
// After the first signal both listeners are gone, so a second one still force-quits.

export type StopSignal = 'SIGTERM' | 'SIGINT';

export function listenForStop(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const onSignal = (signal: StopSignal) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
