// The shape of every error response, `{"error": {"code", "message", "request_id"}}`, with its
// status from the one table (error-status.ts), and its JSON schema for the OpenAPI document. The
// request id is the one in the X-Request-ID header and the server's log line (request-log.ts).
// Never a stack trace.
import type { FastifyReply } from 'fastify';
import { RETRY_AFTER_SECONDS, STATUS_BY_CODE, type AnyErrorCode } from './error-status.ts';
import { REQUEST_ID_HEADER } from './request-log.ts';

export interface ErrorBody {
  error: { code: string; message: string; request_id?: string };
}

/** The body; without a request id only where there is no request (node's own parse errors). */
export function errorBody(code: AnyErrorCode, message: string, requestId?: string): ErrorBody {
  return { error: requestId === undefined ? { code, message } : { code, message, request_id: requestId } };
}

export function sendError(reply: FastifyReply, code: AnyErrorCode, message: string): FastifyReply {
  const status = STATUS_BY_CODE[code];
  // Every 503 is a "not now" (store or Redis away, too much queued): say when to come back.
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
  // Also set by request-log.ts for every answer; here for the few fastify sends without its hooks.
  reply.header(REQUEST_ID_HEADER, reply.request.id);
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message, reply.request.id));
}

export const errorBodySchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, request_id: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
