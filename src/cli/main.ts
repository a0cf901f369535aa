// The `embedline` command: each subcommand lives in its own file and registers itself in program.ts.
import { endQuietlyWhenOutputCloses } from './closed-output.ts';
import { createProgram } from './program.ts';
import { reportError } from './run-command.ts';

endQuietlyWhenOutputCloses();

try {
  await createProgram().parseAsync(process.argv);
} catch (err) {
  reportError(err);
  process.exitCode = 1;
}
