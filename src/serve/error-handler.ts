// Every failure becomes `{"error": {"code", "message"}}` with its status from the one table
// (error-status.ts), wherever it starts: our own errors; fastify's (schema validation, bad JSON,
// oversized body, a URL that is not valid percent-encoding or too long);
// errors raised before fastify sees a request (malformed HTTP, headers too large, a request that
// took too long to arrive: node's `clientError`); @fastify/static's (a path it refuses: 403); no
// route (404) or no route for this method (405). Unexpected errors are logged here and answered
// with a bare 500: no stack traces, no internals in a response.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { isEmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { errorBody, sendError } from './error-body.ts';
import { logRequestLine } from './request-log.ts';
import { codeForClientStatus, STATUS_BY_CODE, type AnyErrorCode } from './error-status.ts';
import { validationMessage } from './validation-message.ts';

/** Longest URL (path and query) answered with anything but 414: the API's URLs are short. */
export const MAX_URL_CHARS = 4096;
/** Longest path parameter (a collection name, percent-encoded: 128 characters of 4-byte UTF-8). */
export const MAX_PARAM_CHARS = 2048;
/** How much of a URL an error message repeats: enough to recognise it, never the whole 4 KB. */
const SHOWN_URL_CHARS = 120;

/** fastify's own client-error codes, as our codes and messages (fastify's wording is for developers). */
const FASTIFY_ERRORS: Record<string, { code: AnyErrorCode; message: (err: FastifyError, bodyLimit: number) => string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BAD_REQUEST', message: () => 'body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BAD_REQUEST', message: () => 'body is empty; send a JSON object' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: (_e, limit) => `body is larger than the limit of ${limit} bytes` },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: () => 'send the body as JSON, with Content-Type: application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: () => 'Content-Length does not match the body' },
};

/**
 * Options for the fastify constructor: the errors fastify answers before any handler or hook
 * (`frameworkErrors`) and the ones node's HTTP parser raises (`clientErrorHandler`).
 */
export function errorServerOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (err, request, reply) => {
      // fastify runs no hooks for these: the request's log line is written as its answer finishes.
      reply.raw.once('finish', () => logRequestLine(request, reply));
      const path = shownUrl(request.url);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 'URI_TOO_LONG', `a path segment of ${path} is longer than ${MAX_PARAM_CHARS} characters`);
      if (err.code === 'FST_ERR_BAD_URL') return sendError(reply, 'BAD_REQUEST', `${path} is not a valid URL (bad percent-encoding)`);
      return sendError(reply, 'BAD_REQUEST', `${path} could not be routed`);
    },
    clientErrorHandler: answerClientError,
  };
}

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length > MAX_URL_CHARS) return sendError(reply, 'URI_TOO_LONG', `the URL is ${request.url.length} characters, over the limit of ${MAX_URL_CHARS}`);
  });

  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isEmbedlineError(err)) {
      // Ours are known conditions: logged without a stack, and an overload (which comes in floods,
      // and is counted by the request metrics) not at all.
      if (STATUS_BY_CODE[err.code] >= 500 && err.code !== 'OVERLOADED') log('warn', 'http.server-error', { url: shownUrl(request.url), code: err.code, message: err.message });
      return sendError(reply, err.code, err.message);
    }
    if (err.validation) return sendError(reply, 'BAD_REQUEST', validationMessage(err.validationContext ?? 'request', err.validation));
    const known = FASTIFY_ERRORS[err.code];
    // Routes that take larger bodies (the embedding endpoints) carry their own limit.
    if (known) return sendError(reply, known.code, known.message(err, request.routeOptions.bodyLimit ?? bodyLimit));
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // Other client errors (a path @fastify/static refuses, an unsatisfiable range, …): the status
      // picks the code; fastify's and send's messages are short and safe, the URL is bounded.
      const code = codeForClientStatus(err.statusCode);
      const message = code === 'FORBIDDEN' ? `${request.method} ${shownUrl(request.url)} is not a file this server serves` : err.message;
      return sendError(reply, code, message);
    }
    logServerError(request, err);
    return sendError(reply, 'INTERNAL', 'internal error; the server log has the details');
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(app, path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${shownUrl(path)}; use ${allowed.join(' or ')}`);
    }
    return sendError(reply, 'NOT_FOUND', `no route ${request.method} ${shownUrl(path)}`);
  });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Methods with a route of their own at `path` (the page's catch-all file route does not count). */
function allowedMethods(app: FastifyInstance, path: string): string[] {
  return METHODS.filter((method) => {
    const route = app.findRoute({ method, url: path });
    // A wildcard route's match carries the rest of the path as param "*".
    return route !== null && !('*' in (route.params as Record<string, unknown>));
  });
}

/**
 * Node's HTTP parser failed before fastify saw a request (malformed request line or headers,
 * headers over the limit, a request that did not arrive within the request timeout): answer in
 * our shape on the raw socket and close it, as node's own handler does.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message] = clientErrorAnswer(err.code);
  const status = STATUS_BY_CODE[code];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

function clientErrorAnswer(code: string | undefined): [AnyErrorCode, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['REQUEST_TIMEOUT', 'the request did not arrive in time (EMBEDLINE_HTTP_TIMEOUT_MS)'];
    case 'HPE_HEADER_OVERFLOW':
      return ['HEADERS_TOO_LARGE', 'the request headers are larger than the limit of 16 KB'];
    case 'HPE_INVALID_METHOD':
      return ['METHOD_NOT_ALLOWED', 'unknown HTTP method; use GET or POST'];
    default:
      return ['BAD_REQUEST', `malformed HTTP request${code ? ` (${code})` : ''}`];
  }
}

/** A URL as error messages and log lines repeat it: never more than SHOWN_URL_CHARS. */
export function shownUrl(url: string): string {
  return url.length > SHOWN_URL_CHARS ? `${url.slice(0, SHOWN_URL_CHARS)}…` : url;
}

function logServerError(request: FastifyRequest, err: Error): void {
  log('error', 'http.error', { method: request.method, url: shownUrl(request.url), message: err.message, stack: err.stack });
}
