// The `embedline` command tree, built fresh on each call: main.ts runs it once per process, and the
// bad-input tests run many command lines in one process (one Node + model load instead of dozens).
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCalibrateCommand } from './calibrate-command.ts';
import { registerCollectionsCommand } from './collections-command.ts';
import { registerEmbedCommand } from './embed-command.ts';
import { registerEvalCommand } from './eval-command.ts';
import { registerIngestCommand } from './ingest-command.ts';
import { registerJobsCommand } from './jobs-command.ts';
import { registerMigrateCommand } from './migrate-command.ts';
import { registerModelCommand } from './model-command.ts';
import { registerReindexCommand } from './reindex-command.ts';
import { registerSearchCommand } from './search-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { errorJsonLine, wantsJson } from './run-command.ts';
import { deviceFlag } from './model-options.ts';
import { loadStartupConfig } from './startup-config.ts';
import { registerStatusCommand } from './status-command.ts';
import { registerWorkerCommand } from './worker-command.ts';

export interface ProgramOptions {
  /** Usage errors throw a CommanderError instead of exiting the process (for in-process runs). */
  throwOnUsageError?: boolean;
}

/** The package's version (package.json sits two folders up from src/cli and from dist/cli). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function createProgram(options: ProgramOptions = {}): Command {
  const program = new Command('embedline')
    .description('batch vector indexing: corpus → chunks → BullMQ → ONNX BERT workers → vector store → search')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .option('--verbose', 'show stack traces on errors')
    // One line after a usage error, not the whole help: `--help` is there for that.
    .showHelpAfterError('(add --help for usage)')
    // With --json a usage error is one JSON line too (no help hint: a tool reads it).
    .configureOutput({
      outputError: (text, write) => write(wantsJson() ? errorJsonLine('BAD_REQUEST', text.replace(/^error: /, '').trimEnd()) : text),
      writeErr: (text) => (wantsJson() && text.startsWith('(add --help') ? undefined : process.stderr.write(text)),
    });
  // Set before the subcommands exist: they copy it when created. main.ts maps the thrown
  // CommanderError to an exit code (exit-status.ts: 2 for a usage error, 0 for --help and --version).
  if (options.throwOnUsageError) program.exitOverride();
  // Every variable is checked before any command does work: a bad one stops it with one line.
  program.hook('preAction', () => void loadStartupConfig());
  // So is the execution device, for every command that loads a model: --device cuda (or
  // EMBEDLINE_DEVICE=cuda) without CUDA's provider files stops it here, before any source, Redis or model.
  program.hook('preAction', (_program, command) => {
    if (command.options.some((option) => option.long === '--device')) deviceFlag(command.opts<{ device?: string }>());
  });

  registerIngestCommand(program);
  registerSearchCommand(program);
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerReindexCommand(program);
  registerCollectionsCommand(program);
  registerCalibrateCommand(program);
  registerStatusCommand(program);
  registerJobsCommand(program);
  registerMigrateCommand(program);
  registerEmbedCommand(program);
  registerEvalCommand(program);
  registerModelCommand(program);
  return program;
}
