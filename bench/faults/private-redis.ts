// A redis-server of the fault suite's own, on a free port: faults stop, restart and empty it, which
// must never touch the Redis everyone else shares on 6379. Optionally append-only (AOF) in its own
// folder, so a restart brings the data back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const READY = /Ready to accept connections/;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** A port the OS just handed out (listen on 0, close): free unless someone races us for it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class PrivateRedis {
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly appendOnly: boolean,
  ) {}

  /** Starts redis-server on a free port; `dir` holds its AOF when `appendOnly`. */
  static async start(dir: string, options: { appendOnly: boolean }): Promise<PrivateRedis> {
    mkdirSync(dir, { recursive: true });
    const redis = new PrivateRedis(await freePort(), dir, options.appendOnly);
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port and folder (after stop): empty, or with its AOF replayed. */
  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', this.appendOnly ? 'yes' : 'no'];
    args.push('--dir', this.dir, '--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--protected-mode', 'no');
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`redis-server on port ${this.port} not ready after ${START_TIMEOUT_MS} ms:\n${this.log}`)), START_TIMEOUT_MS);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stdout!.on('data', (d) => {
        this.log = (this.log + d).slice(-4000);
        if (READY.test(this.log)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (d) => (this.log = (this.log + d).slice(-4000)));
      child.once('exit', (code) => fail(new Error(`redis-server on port ${this.port} exited with ${code}:\n${this.log}`)));
    });
    this.log = '';
  }

  /**
   * Stops it the way an operator would (SHUTDOWN NOSAVE: no snapshot; an AOF is flushed), and
   * waits for the process to be gone; SIGKILL if it does not go in time.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const client = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      // The reply never comes: the server closes the connection as it goes.
      await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    } catch {
      child.kill('SIGTERM');
    }
    client.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
