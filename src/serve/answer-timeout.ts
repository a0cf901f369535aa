// Every request is answered: one whose handler has not replied within the handler timeout gets 503
// TIMEOUT in the route's error shape (the OpenAI routes' included), and the socket's idle timeout is
// set past it, so the documented answer always comes before the connection is closed.
//
// fastify's own `handlerTimeout` cannot do this for requests with a body: it stops its clock when
// the request's 'close' event fires, and node fires that event once the body has been read, not
// only on a disconnect (fastify/fastify#6725). A slow POST (2,048 long inputs to /v1/embeddings)
// then got no answer at all, and the connection timeout closed the socket a minute later.
// Once a request is answered so (or its client has gone), abandonedSignal tells its work to stop.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { sendError } from './error-body.ts';
import { shownUrl } from './error-handler.ts';

export const TIMEOUT_MESSAGE = 'the server could not answer in time; retry shortly';

const abandonment = new WeakMap<FastifyRequest, AbortController>();

/**
 * Aborted once nobody will read the request's answer: its 503 TIMEOUT went out, or the client went
 * away. Work done for it past that point only holds the ONNX sessions from other requests.
 */
export function abandonedSignal(request: FastifyRequest): AbortSignal | undefined {
  return abandonment.get(request)?.signal;
}

/** Answers 503 TIMEOUT for any request still unanswered `ms` after it arrived. */
export function answerWithin(app: FastifyInstance, ms: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const abandoned = new AbortController();
    abandonment.set(request, abandoned);
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      log('warn', 'http.handler-timeout', { method: request.method, url: shownUrl(request.url), ms });
      sendError(reply, 'TIMEOUT', TIMEOUT_MESSAGE);
      abandoned.abort(new EmbedlineError('BAD_REQUEST', 'the request was answered 503 TIMEOUT; its work is dropped'));
    }, ms);
    // 'close' on the response: it was sent, or the client went away; either way nothing to answer.
    reply.raw.once('close', () => {
      clearTimeout(timer);
      if (!reply.raw.writableFinished) abandoned.abort(new EmbedlineError('BAD_REQUEST', 'the client went away; its work is dropped'));
    });
  });
}
