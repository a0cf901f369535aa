// One log line per HTTP request `serve` answers, and a request id on every answer. The id is the
// client's own X-Request-ID when it is sane (1-128 characters from letters, digits and
// `-_.:@+=/`), else a new UUID; it comes back in the X-Request-ID header and in every error body,
// and names the request's log line, so a client's report can be found in the server log. The
// line (event `http.request`) holds the method, the route (the matched pattern, or the path
// without its query when nothing matched), the status, the duration in ms, the bytes sent and the
// id: never a body, a query string or a header, so never an API key. Health checks and metric
// scrapes log at debug (a probe every few seconds would drown the rest), everything else at info.
// Requests refused before routing (a URL fastify cannot route) are logged as they finish, by the
// error handler; errors node answers before fastify sees a request (malformed HTTP) have no
// request, so no line.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { log, logs, type LogLevel } from '../log.ts';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a client's own request id may be: short, printable, nothing a header or a log line would trip on. */
const SANE_REQUEST_ID = /^[A-Za-z0-9\-_.:@+=/]{1,128}$/;
/** Routes polled by machines (probes, scrapers), logged at debug. */
const POLLED_ROUTES = new Set(['/health', '/livez', '/readyz', '/metrics']);
/** The longest path a line repeats (as shownUrl in error-handler.ts). */
const SHOWN_PATH_CHARS = 120;

/** fastify's genReqId: the client's X-Request-ID when sane, else a new UUID. */
export function requestId(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

export function logRequests(app: FastifyInstance): void {
  // onSend runs for every answer sent through fastify, errors and 404s included.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => logRequestLine(request, reply));
}

/** The request's line, once it has been answered. */
export function logRequestLine(request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url;
  const level: LogLevel = route !== undefined && POLLED_ROUTES.has(route) ? 'debug' : 'info';
  if (!logs(level)) return;
  log(level, 'http.request', {
    method: request.method,
    // The page's catch-all file route (`/*`) says nothing: its path does.
    route: route === undefined || route.includes('*') ? shownPath(request) : route,
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 10) / 10,
    bytes: sentBytes(reply),
    requestId: request.id,
  });
}

function shownPath(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return path.length > SHOWN_PATH_CHARS ? `${path.slice(0, SHOWN_PATH_CHARS)}…` : path;
}

/** The body's size as sent (Content-Length), or null when it was streamed without one. */
function sentBytes(reply: FastifyReply): number | null {
  const length = Number(reply.getHeader('content-length'));
  return Number.isFinite(length) && reply.hasHeader('content-length') ? length : null;
}
