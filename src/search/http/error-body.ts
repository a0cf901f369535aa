// The shape of every error response, `{"error": {"code", "message"}}`, and its JSON schema for the
// OpenAPI document. Never a stack trace.
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../../errors.ts';
import type { HttpErrorCode } from './error-status.ts';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function sendError(reply: FastifyReply, status: number, code: ErrorCode | HttpErrorCode, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message } } satisfies ErrorBody);
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
