// Structured logs: one JSON object per line on stderr, so long runs and servers can be followed by
// tools (progress bars are for TTYs only). Written by pino (the logger fastify is built on), set up
// to keep the line format every reader here knows, byte for byte: `{"time":"<ISO 8601>",
// "level":"info","event":"serve.ready", …fields}` (level by name, no pid or hostname). Lines go through
// process.stderr.write, synchronously, so whoever captures stderr (tests, cli-batch) sees them.
// The level is set once at start from the configuration (EMBEDLINE_LOG_LEVEL, EMBEDLINE_QUIET,
// src/config.ts), never read from the environment on every line.
import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const logger = pino(
  {
    level: 'info',
    base: undefined,
    // time, level and event lead each line as they always have: pino writes its level part (empty
    // here; pino caches it per level) and then the timestamp (taken per line) before the fields.
    timestamp: () => `"time":"${new Date().toISOString()}"`,
    formatters: { level: () => ({}) },
  },
  { write: (line: string) => void process.stderr.write(line) },
);

let level: LogLevel | 'silent' = 'info';
let quiet = false;

/** The least severe lines written from now on (EMBEDLINE_LOG_LEVEL); 'silent' writes none. */
export function setLogLevel(value: LogLevel | 'silent'): void {
  level = value;
  apply();
}

/** Leaves out info-level (and debug) lines from now on, whatever the level (EMBEDLINE_QUIET). */
export function setLogQuiet(value: boolean): void {
  quiet = value;
  apply();
}

function apply(): void {
  logger.level = quiet && (level === 'debug' || level === 'info') ? 'warn' : level;
}

/** Whether lines of this level are written now (to skip building costly fields for nothing). */
export function logs(at: LogLevel): boolean {
  return logger.isLevelEnabled(at);
}

export function log(at: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  logger[at]({ level: at, event, ...fields });
}
