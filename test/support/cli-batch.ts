// Runs many `embedline` command lines in ONE process, in order, each with its own environment, its
// stdout, stderr and exit code captured as a user would see them. A spawn per command line costs a
// Node + tsx start and a model load each; the bad-input table has dozens of them.
// Usage: tsx test/support/cli-batch.ts RUNS.json RESULTS.json (RUNS: [{args, env}], RESULTS: [{code, stdout, stderr}]).
import { readFileSync, writeFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { createProgram } from '../../src/cli/program.ts';
import { exitStatus } from '../../src/cli/exit-status.ts';
import { reportError, setErrorFormat } from '../../src/cli/run-command.ts';

export interface BatchRun {
  args: string[];
  env?: Record<string, string>;
}

export interface BatchResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCommandLine(run: BatchRun): Promise<BatchResult> {
  const savedEnv = { ...process.env };
  Object.assign(process.env, run.env ?? {});
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture = (into: string[]) => ((chunk: string | Uint8Array) => (into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exitCode = 0;
  setErrorFormat(run.args);
  let code: number;
  try {
    await createProgram({ throwOnUsageError: true }).parseAsync(['node', 'embedline', ...run.args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    // What main.ts does: usage errors were already printed by commander; anything else is reported.
    if (!(error instanceof CommanderError)) reportError(error);
    code = exitStatus(error);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.exitCode = 0;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const runs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BatchRun[];
  const results: BatchResult[] = [];
  for (const run of runs) {
    results.push(await runCommandLine(run));
    // Written after every run, so a run that hangs still leaves the outcomes before it to read.
    writeFileSync(process.argv[3]!, JSON.stringify(results));
  }
  // Stray handles (a worker's Redis connection closing late) must not keep the batch alive.
  process.exit(0);
}
