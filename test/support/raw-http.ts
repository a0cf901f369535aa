// Sends bytes to a server over a plain socket and reads what comes back: for requests no HTTP
// client will send (malformed request lines, oversized headers, half-sent bodies, odd methods).
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when nothing had been answered and the connection was still open after `timeoutMs`. */
  timedOut: boolean;
  ms: number;
}

/** Writes `request` and resolves when the server closes or after `timeoutMs`. */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks).toString('utf8')), timedOut: timedOut && chunks.length === 0, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (d) => {
      chunks.push(d);
      // One response is all these requests get: stop at the end of its body.
      const parsed = parseResponse(Buffer.concat(chunks).toString('utf8'));
      const length = Number(parsed.headers['content-length']);
      if (parsed.status > 0 && Number.isFinite(length) && Buffer.byteLength(parsed.body) >= length) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

function parseResponse(text: string): Pick<RawResponse, 'status' | 'headers' | 'body'> {
  const split = text.indexOf('\r\n\r\n');
  if (split === -1) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]) || 0, headers, body: text.slice(split + 4) };
}
