// OpenAI-style error bodies for the OpenAI-compatible routes: `{"error": {"message", "type",
// "param", "code"}}`, which OpenAI's client libraries read (error.message, error.type, …). Our
// stable code is kept as `code`. Installed as an onSend hook on those routes only, so every error
// they answer (validation, API key, rate limit, our own codes) is converted in one place.
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from './error-body.ts';

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** The request field an error is about: our validation messages start with `body.<field>`. */
function errorParam(code: string, message: string): string | null {
  if (code === 'MODEL_NOT_FOUND') return 'model';
  if (code === 'TEXT_EMPTY' || code === 'TEXT_TOO_LONG') return 'input';
  return /^body\.([A-Za-z_]+)/.exec(message)?.[1] ?? null;
}

export function toOpenAiError(status: number, body: ErrorBody): OpenAiErrorBody {
  const { code, message } = body.error;
  return { error: { message, type: errorType(status), param: errorParam(code, message), code } };
}

/** Rewrites the error bodies of every route registered in `scope` (an encapsulated plugin). */
export function useOpenAiErrorBodies(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    let body: Partial<ErrorBody>;
    try {
      body = JSON.parse(payload) as Partial<ErrorBody>;
    } catch {
      return payload;
    }
    return body.error ? JSON.stringify(toOpenAiError(reply.statusCode, body as ErrorBody)) : payload;
  });
}
