// A redis-server of one test's own, which the test may shut down and start again on the same port
// (the shared Redis must never be stopped). Without a folder it keeps nothing (a restart comes back
// empty); with one it writes an append-only file there and comes back with its data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface PrivateRedis {
  url: string;
  /** Starts the server (again); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Kills the server at once (SIGKILL): whatever was not on disk is gone. */
  crash(): Promise<void>;
}

/** A port nothing listens on: bound once, then released. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function privateRedis(aofDir?: string): Promise<PrivateRedis> {
  const port = await freePort();
  const persistence = aofDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', aofDir] : ['--appendonly', 'no'];
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    start: async () => {
      const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
      child = server;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (d) => (out += d) && /Ready to accept connections/.test(out) && resolve());
        server.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}: ${out}`)));
      });
    },
    crash: async () => {
      const server = child;
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    },
  };
}
