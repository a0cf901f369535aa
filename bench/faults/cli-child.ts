// The fault suite's `embedline` child processes (run as `node bin/embedline.js`, so signals reach
// the real process, not an npm wrapper): every one has a deadline after which it is SIGKILLed, and
// every one still alive is SIGKILLed when the suite ends or is interrupted. Nothing outlives it.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, PROJECT_ROOT } from '../../test/support/run-cli.ts';

/** Output kept per child: the tail, enough for the last log lines and the JSON summary. */
const KEEP_CHARS = 200_000;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the suite because it ran past its deadline: a hang. */
  timedOut: boolean;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface CliChild {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** Resolves once `ready` matched the stderr (immediately without a `ready` pattern). */
  readonly ready: Promise<void>;
  readonly startedAt: number;
  alive(): boolean;
  stdout(): string;
  stderr(): string;
  signal(signal: NodeJS.Signals): void;
}

const living = new Set<CliChild>();

export function spawnCli(name: string, args: string[], env: NodeJS.ProcessEnv, options: { timeoutMs: number; ready?: RegExp }): CliChild {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-KEEP_CHARS)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-KEEP_CHARS)));
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exited = new Promise<ChildExit>((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      living.delete(handle);
      resolve({ code, signal, timedOut, ms: performance.now() - startedAt });
    }),
  );
  const ready = options.ready
    ? new Promise<void>((resolve, reject) => {
        const pattern = options.ready!;
        const check = () => {
          if (pattern.test(stderr)) {
            child.stderr!.off('data', check);
            resolve();
          }
        };
        child.stderr!.on('data', check);
        void exited.then((e) => reject(new Error(`${name} exited (${e.code ?? e.signal}) before it was ready: ${lastLines(stderr, 3)}`)));
      })
    : Promise.resolve();
  ready.catch(() => undefined); // callers that never await it must not crash the suite
  const handle: CliChild = {
    name,
    pid: child.pid ?? -1,
    child,
    exited,
    ready,
    startedAt,
    alive: () => child.exitCode === null && child.signalCode === null,
    stdout: () => stdout,
    stderr: () => stderr,
    signal: (signal) => {
      if (handle.alive()) child.kill(signal);
    },
  };
  living.add(handle);
  return handle;
}

/** SIGKILLs every child still running (end of a fault, end of the suite, Ctrl-C). */
export async function killAll(): Promise<void> {
  const all = [...living];
  for (const c of all) c.signal('SIGKILL');
  await Promise.all(all.map((c) => c.exited));
}

export function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const c of living) c.signal('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const c of living) c.signal('SIGKILL');
});
