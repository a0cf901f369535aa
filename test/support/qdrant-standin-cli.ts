// `npm run qdrant-standin -- --port 6333 [--api-key K] [--strict] [--request-log FILE]`
// Runs the Qdrant stand-in in the foreground; all flags go to the Python server (see --help).
import { spawn } from 'node:child_process';

import { PROJECT_ROOT, standinCommand } from './qdrant-standin.ts';

let command: ReturnType<typeof standinCommand>;
try {
  command = standinCommand(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const child = spawn(command.command, command.args, { cwd: PROJECT_ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
