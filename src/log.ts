// Structured logs: one JSON object per line on stderr, so long runs can be followed by tools
// (progress bars are for TTYs only).

export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  if (process.env.EMBEDLINE_QUIET === '1' && level === 'info') return;
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
}
