// The process exit codes, one table for every command (docs/cli.md lists them): 0 ok, 1 a runtime
// failure, 2 a usage error (the command line or a value on it is wrong: nothing was done), 3 a run
// that finished but left more records out than --max-rejects allows, and 128 + N for a run stopped
// by signal N (130 for Ctrl-C, 143 for SIGTERM), as a shell reports it.
import { constants } from 'node:os';
import { CommanderError } from 'commander';
import { isEmbedlineError, type ErrorCode } from '../errors.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_PARTIAL = 3;

type CodeExit = typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** The exit code of a command that stopped with an error of this code. */
function exitForCode(code: ErrorCode): CodeExit {
  switch (code) {
    // What the user typed (a flag, its value, a name, an environment variable) is wrong.
    case 'CONFIG_INVALID':
    case 'BAD_REQUEST':
    case 'INPUT_INVALID':
    case 'POOLING_UNSUPPORTED':
      return EXIT_USAGE;
    case 'MODEL_DIR_MISSING':
    case 'MODEL_FILE_MISSING':
    case 'MODEL_INVALID':
    case 'INFERENCE_INTERRUPTED':
    case 'TEXT_EMPTY':
    case 'TEXT_TOO_LONG':
    case 'COLUMN_MISSING':
    case 'SOURCE_INVALID':
    case 'COLLECTION_MISSING':
    case 'MODEL_NOT_FOUND':
    case 'MODEL_DOWNLOAD_FAILED':
    case 'COLLECTION_MISMATCH':
    case 'KEYWORD_INDEX_MISSING':
    case 'COLLECTION_BUSY':
    case 'STORE_UNAVAILABLE':
    case 'STORE_REJECTED':
    case 'QUEUE_UNAVAILABLE':
    case 'OVERLOADED':
    case 'EXPORT_FAILED':
    case 'INTERRUPTED':
    case 'TOO_MANY_REJECTS':
      return EXIT_FAILURE;
  }
}

/** How a command that threw `err` ends: usage errors 2, a signal 128 + its number, too many rejects 3, else 1. */
export function exitStatus(err: unknown): number {
  if (err instanceof CommanderError) return commanderExitStatus(err);
  if (!isEmbedlineError(err)) return EXIT_FAILURE;
  if (err.code === 'TOO_MANY_REJECTS') return EXIT_PARTIAL;
  if (err.code === 'INTERRUPTED') {
    const signal = err.details?.signal;
    if (typeof signal === 'string' && Object.hasOwn(constants.signals, signal)) return 128 + constants.signals[signal as keyof typeof constants.signals];
  }
  return exitForCode(err.code);
}

/** commander's own outcomes: --help and --version end 0, everything else it refuses is a usage error. */
export function commanderExitStatus(err: CommanderError): number {
  return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
}
