// Runs one Python (or pip) process for model export: its output is read line by line, each line
// handed to the caller (progress), and the last lines kept so a failure can be told in one line.
// The child inherits this process's environment, so HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and
// proxy variables reach huggingface_hub and pip as the user set them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessResult {
  /** Exit status; null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines it printed (stdout and stderr together), oldest first. */
  tail: string[];
}

/** Why a command could not start at all (ENOENT: not found; EACCES: not executable). */
export class ProcessStartError extends Error {
  readonly command: string;
  readonly errno: string;

  constructor(command: string, errno: string) {
    super(`${command}: ${errno}`);
    this.command = command;
    this.errno = errno;
  }
}

const TAIL_LINES = 40;

export function runProcess(command: string, args: readonly string[], onLine: (line: string) => void = () => {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      onLine(line);
    };
    const readers = [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((done) => {
          createInterface({ input: stream, crlfDelay: Infinity }).on('line', take).on('close', done);
        }),
    );
    child.on('error', (err: NodeJS.ErrnoException) => reject(new ProcessStartError(command, err.code ?? err.message)));
    child.on('close', (code, signal) => {
      void Promise.all(readers).then(() => resolve({ code, signal, tail }));
    });
  });
}

/** The line that best says why a failed process failed: its last error-looking line, else its last line. */
export function failureLine(result: ProcessResult, marker: RegExp = /error|failed/i): string {
  const lines = result.tail.map((line) => line.trim()).filter((line) => line !== '');
  const reason = [...lines].reverse().find((line) => marker.test(line)) ?? lines.at(-1);
  const ending = result.signal ? `ended by ${result.signal}` : `exit status ${result.code}`;
  return reason ? `${reason} (${ending})` : ending;
}
