// Starts the Qdrant REST stand-in (test/support/qdrant_standin, Python) for a test run.
// It validates every request against Qdrant's OpenAPI document and stores data in
// qdrant-edge; see test/support/qdrant_standin/__init__.py.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const STANDIN_DIR = path.join(PROJECT_ROOT, 'test', 'support', 'qdrant_standin');
const READY_PREFIX = 'qdrant-standin listening on ';
// Generous: on a machine loaded by other test runs the Python start-up alone can take half a minute.
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 5_000;

export interface StandinOptions {
  /** Require this key in the `api-key` header, as Qdrant's `service.api_key` does. */
  apiKey?: string;
  /** Check every response against the OpenAPI document too (a mismatch becomes a 500). Default true. */
  strict?: boolean;
  /** Create collections in strict mode, as Qdrant Cloud does: filters on unindexed keys answer 400. */
  strictMode?: boolean;
  /** The version GET / reports (default: the OpenAPI document's, 1.19.0). */
  reportVersion?: string;
  /** The status every collection reports (default green): yellow stands for background indexing. */
  collectionStatus?: 'green' | 'yellow' | 'grey' | 'red';
}

/** One line of the stand-in's request log. */
export interface StandinRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  /** The OpenAPI operationId, or null when the request matched no operation (or failed auth). */
  operation: string | null;
  status: number;
  error?: string;
  /** Why the OpenAPI document rejected the request (or, in strict mode, our response). */
  problems?: string[];
}

export interface QdrantStandin {
  url: string;
  stop(): Promise<void>;
  requestLog(): Promise<StandinRequest[]>;
  /** What the stand-in wrote to stderr so far (rejections, tracebacks). */
  stderr(): string;
}

/**
 * The requests the OpenAPI document found fault with (strict mode: our responses too), one line each
 * as `METHOD path: problems`; `answered` keeps only those the stand-in answered below 400.
 */
export async function openApiProblems(standin: QdrantStandin, opts: { answered?: boolean } = {}): Promise<string[]> {
  return (await standin.requestLog())
    .filter((r) => r.problems?.length && (!opts.answered || r.status < 400))
    .map((r) => `${r.method} ${r.path}: ${r.problems!.join('; ')}`);
}

/** The venv's Python and the arguments that run the stand-in; throws a clear error without the venv. */
export function standinCommand(args: string[]): { command: string; args: string[] } {
  const python = path.join(PROJECT_ROOT, '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error(
      `The Qdrant stand-in needs the Python venv at ${path.join(PROJECT_ROOT, '.venv')}: run bash .ci/run, ` +
        'or create .venv (python3 -m venv .venv && .venv/bin/pip install -r test/support/requirements.txt).',
    );
  }
  // Run by path: `python -m test.…` would resolve to the standard library's `test` package.
  return { command: python, args: [STANDIN_DIR, ...args] };
}

export async function startQdrantStandin(opts: StandinOptions = {}): Promise<QdrantStandin> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'qdrant-standin-'));
  const logFile = path.join(workDir, 'requests.jsonl');
  // Port 0: the server binds a free port itself and reports it, so no other process can take it in between.
  const args = ['--port', '0', '--host', '127.0.0.1', '--data-dir', workDir, '--request-log', logFile, '--exit-on-stdin-eof'];
  if (opts.strict ?? true) args.push('--strict');
  if (opts.strictMode) args.push('--strict-mode');
  if (opts.reportVersion !== undefined) args.push('--report-version', opts.reportVersion);
  if (opts.collectionStatus !== undefined) args.push('--collection-status', opts.collectionStatus);
  const env = { ...process.env };
  // Only opts decide, whatever the caller's shell has.
  for (const name of ['QDRANT__SERVICE__API_KEY', 'QDRANT_STANDIN_STRICT_MODE', 'QDRANT_STANDIN_VERSION', 'QDRANT_STANDIN_COLLECTION_STATUS']) delete env[name];
  if (opts.apiKey !== undefined) args.push('--api-key', opts.apiKey);

  let command: ReturnType<typeof standinCommand>;
  try {
    command = standinCommand(args);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  // stdin stays a pipe: if this process dies, the pipe closes and the stand-in exits (--exit-on-stdin-eof).
  const child = spawn(command.command, command.args, { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  let url: string;
  try {
    url = await waitForReady(child, () => stderr);
  } catch (error) {
    await terminate(child);
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    stderr: () => stderr,
    async requestLog() {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as StandinRequest);
    },
    stop() {
      stopped ??= (async () => {
        await terminate(child);
        await rm(workDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`Qdrant stand-in did not start: ${reason}\n--- stand-in stderr ---\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`no ready line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    // 'close', not 'exit': by then its stderr has been read to the end.
    child.once('close', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((l) => l.startsWith(READY_PREFIX));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(READY_PREFIX.length).trim());
      }
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
