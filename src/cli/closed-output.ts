// `embedline status | head -1`: once the reader of stdout has gone, writing more only raises EPIPE,
// which Node reports as an unhandled 'error' with a stack trace. The output has nobody left to read
// it, so the command ends at once, quietly, with the exit code it has so far (0 unless it failed).
// A closed stderr only loses log lines: the work goes on (a worker must not drop its jobs for that).

export function endQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
