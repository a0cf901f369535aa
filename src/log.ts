// Structured logs: one JSON object per line on stderr, so long runs can be followed by tools
// (progress bars are for TTYs only). Whether info lines show is set once at start from the
// configuration (EMBEDLINE_QUIET, src/config.ts), not read from the environment on every line.

export type LogLevel = 'info' | 'warn' | 'error';

let quiet = false;

/** Leaves out info-level lines from now on (warnings and errors still show). */
export function setLogQuiet(value: boolean): void {
  quiet = value;
}

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  if (quiet && level === 'info') return;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
}
