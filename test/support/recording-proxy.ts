// An HTTP proxy for store tests: it forwards to a server (the Qdrant stand-in), records every
// request with its body, counts how many were in flight at once, and can inject faults — a 503
// answer or a connection reset — to prove that a client retries. With a path prefix it stands for a
// reverse proxy serving Qdrant under /qdrant: only paths under it are forwarded (without it).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
  bodyBytes: number;
  /** The status sent back, or 'reset' when the connection was cut instead. */
  outcome: number | 'reset';
}

/** Decides per request: undefined forwards it, a status answers with that error, 'reset' cuts the connection. */
export type Fault = (request: { method: string; path: string; index: number }) => number | 'reset' | undefined;

export interface RecordingProxy {
  url: string;
  requests: ProxiedRequest[];
  /** Highest number of requests matching `path` (a substring) that were in flight at once. */
  maxInFlight(path: string): number;
  setFault(fault: Fault | undefined): void;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Serve the target under this path ("/qdrant"); requests elsewhere get 404 from the proxy itself. */
  pathPrefix?: string;
}

export async function startRecordingProxy(target: string, options: ProxyOptions = {}): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const inFlight = new Map<string, { now: number; max: number }>();
  let fault: Fault | undefined;

  const track = (path: string, delta: number) => {
    const key = path.split('?')[0];
    const entry = inFlight.get(key) ?? { now: 0, max: 0 };
    entry.now += delta;
    entry.max = Math.max(entry.max, entry.now);
    inFlight.set(key, entry);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const record: ProxiedRequest = { method: req.method ?? '', path: req.url ?? '', body: body.toString('utf8'), bodyBytes: body.length, outcome: 0 };
    requests.push(record);
    const injected = fault?.({ method: record.method, path: record.path, index: requests.length - 1 });
    if (injected === 'reset') {
      record.outcome = 'reset';
      req.socket.destroy();
      return;
    }
    if (injected !== undefined) {
      record.outcome = injected;
      res.writeHead(injected, { 'content-type': 'application/json' }).end(JSON.stringify({ status: { error: 'injected by the test proxy' }, time: 0 }));
      return;
    }
    let path = record.path;
    if (options.pathPrefix !== undefined) {
      if (!path.startsWith(`${options.pathPrefix}/`)) {
        record.outcome = 404;
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`not under ${options.pathPrefix}`);
        return;
      }
      path = path.slice(options.pathPrefix.length);
    }
    track(record.path, 1);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        record.outcome = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res).on('finish', () => track(record.path, -1));
      },
    );
    forward.on('error', (error) => {
      track(record.path, -1);
      res.writeHead(502).end(String(error));
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: (path) => Math.max(0, ...[...inFlight].filter(([key]) => key.includes(path)).map(([, v]) => v.max)),
    setFault: (next) => {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
