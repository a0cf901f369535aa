// The shape of every error response, `{"error": {"code", "message"}}`, with its status from the one
// table (error-status.ts), and its JSON schema for the OpenAPI document. Never a stack trace.
import type { FastifyReply } from 'fastify';
import { RETRY_AFTER_SECONDS, STATUS_BY_CODE, type AnyErrorCode } from './error-status.ts';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: AnyErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

export function sendError(reply: FastifyReply, code: AnyErrorCode, message: string): FastifyReply {
  const status = STATUS_BY_CODE[code];
  // Every 503 is a "not now" (store or Redis away, too much queued): say when to come back.
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message));
}

export const errorBodySchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
