// A heartbeat file for container health checks: while the worker is running (taking jobs, its
// event loop turning), the file's modification time is renewed every few seconds. A check that
// finds it older than a few beats knows the worker is stuck or gone; the file is removed on stop.
// Set by EMBEDLINE_WORKER_HEARTBEAT_FILE (docker-compose.yml's worker health check reads it).
import { rmSync, writeFileSync } from 'node:fs';
import { log } from '../log.ts';

/** How often the file is renewed; a health check should allow a few missed beats (30 s). */
export const HEARTBEAT_INTERVAL_MS = 5000;

/** Starts beating; returns the function that stops and removes the file. */
export function startHeartbeat(file: string, running: () => boolean, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  let warned = false;
  const beat = () => {
    if (!running()) return;
    try {
      writeFileSync(file, `${new Date().toISOString()}\n`);
    } catch (err) {
      // Logged once: an unwritable path is a deployment mistake, and the health check will say so.
      if (!warned) log('warn', 'worker.heartbeat-failed', { file, message: err instanceof Error ? err.message : String(err) });
      warned = true;
    }
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    rmSync(file, { force: true });
  };
}
