// The `embedline` command: each subcommand lives in its own file and registers itself in program.ts.
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { CommanderError } from 'commander';
import { exitStatus } from './exit-status.ts';
import { createProgram } from './program.ts';
import { reportError, setErrorFormat } from './run-command.ts';

endQuietlyWhenOutputCloses();
setErrorFormat(process.argv.slice(2));

try {
  await createProgram({ throwOnUsageError: true }).parseAsync(process.argv);
} catch (err) {
  // commander has printed its own usage errors (and --help, --version); the rest are reported here.
  if (!(err instanceof CommanderError)) reportError(err);
  process.exitCode = exitStatus(err);
}
