// Every failure becomes `{"error": {"code", "message"}}` with the right status: our own errors by
// the STATUS_BY_CODE table, fastify's (schema validation, bad JSON, oversized body) by their
// meaning. Unexpected errors are logged here and answered with a bare 500: no stack traces,
// no internals in a response.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isEmbedlineError } from '../../errors.ts';
import { log } from '../../log.ts';
import { sendError } from './error-body.ts';
import { STATUS_BY_CODE, type HttpErrorCode } from './error-status.ts';
import { validationMessage } from './validation-message.ts';

/** fastify's own client-error codes, as our codes and messages (fastify's wording is for developers). */
const FASTIFY_ERRORS: Record<string, { status: number; code: 'BAD_REQUEST' | HttpErrorCode; message: (err: FastifyError, bodyLimit: number) => string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: () => 'body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'BAD_REQUEST', message: () => 'body is empty; send a JSON object' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: (_e, limit) => `body is larger than the limit of ${limit} bytes` },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: () => 'send the body as JSON, with Content-Type: application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', message: () => 'Content-Length does not match the body' },
};

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isEmbedlineError(err)) {
      const status = STATUS_BY_CODE[err.code];
      if (status >= 500) logServerError(request, err);
      return sendError(reply, status, err.code, err.message);
    }
    if (err.validation) return sendError(reply, 400, 'BAD_REQUEST', validationMessage(err.validationContext ?? 'request', err.validation));
    const known = FASTIFY_ERRORS[err.code];
    // Routes that take larger bodies (the embedding endpoints) carry their own limit.
    if (known) return sendError(reply, known.status, known.code, known.message(err, request.routeOptions.bodyLimit ?? bodyLimit));
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // Other client errors fastify raises (bad URL encoding, …) carry safe, short messages.
      return sendError(reply, err.statusCode, 'BAD_REQUEST', err.message);
    }
    logServerError(request, err);
    return sendError(reply, 500, 'INTERNAL', 'internal error; the server log has the details');
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
}

function logServerError(request: FastifyRequest, err: Error): void {
  log('error', 'http.error', { method: request.method, url: request.url, message: err.message, stack: err.stack });
}
