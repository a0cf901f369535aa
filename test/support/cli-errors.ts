// The errors a command printed on stderr, as a script reads them: `error: <message>` lines, and
// under --json `{"error": {"code", "message"}}` lines; the JSON log lines beside them (they have
// an `event`) and anything else (node's own warnings) are not errors.
export interface CliError {
  /** The error code (src/errors.ts); only JSON error lines carry it. */
  code?: string;
  message: string;
}

export function cliErrors(stderr: string): CliError[] {
  return stderr.split('\n').flatMap((line): CliError[] => {
    if (line.startsWith('error: ')) return [{ message: line.slice('error: '.length) }];
    if (!line.startsWith('{"error":')) return [];
    const { error } = JSON.parse(line) as { error: { code: string; message: string } };
    return [{ code: error.code, message: error.message }];
  });
}
