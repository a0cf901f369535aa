// The operations flags of the commands that embed: `--metrics-port`/`--metrics-host` (Prometheus
// metrics of a worker or of an ingest's in-process workers). Only the options and their parsing live
// here, cheap to import for --help; worker-telemetry.ts starts the metrics and tracing they ask for.
import type { Command } from 'commander';
import { EmbedlineError } from '../errors.ts';

export interface MetricsFlags {
  metricsPort?: string;
  metricsHost: string;
}

/** A TCP port from a flag: 0 (any free one) to 65535. */
export function portFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new EmbedlineError('CONFIG_INVALID', `${flag} must be 0-65535, got "${value}"`);
  return n;
}

export function addMetricsOptions(command: Command, whose: string): Command {
  return command
    .option('--metrics-port <n>', `serve Prometheus metrics of ${whose} at http://<metrics-host>:<n>/metrics (0: any free port; default: none)`)
    .option('--metrics-host <address>', 'address the metrics listen on (0.0.0.0 for all interfaces)', '127.0.0.1');
}
