// Every request is answered: one whose handler has not replied within the handler timeout gets 503
// TIMEOUT in the route's error shape (the OpenAI routes' included), and the socket's idle timeout is
// set past it, so the documented answer always comes before the connection is closed.
//
// fastify's own `handlerTimeout` cannot do this for requests with a body: it stops its clock when
// the request's 'close' event fires, and node fires that event once the body has been read, not
// only on a disconnect (fastify/fastify#6725). A slow POST (2,048 long inputs to /v1/embeddings)
// then got no answer at all, and the connection timeout closed the socket a minute later.
import type { FastifyInstance } from 'fastify';
import { log } from '../../log.ts';
import { sendError } from './error-body.ts';
import { shownUrl } from './error-handler.ts';

export const TIMEOUT_MESSAGE = 'the server could not answer in time; retry shortly';

/** Answers 503 TIMEOUT for any request still unanswered `ms` after it arrived. */
export function answerWithin(app: FastifyInstance, ms: number): void {
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      log('warn', 'http.handler-timeout', { method: request.method, url: shownUrl(request.url), ms });
      sendError(reply, 'TIMEOUT', TIMEOUT_MESSAGE);
    }, ms);
    // 'close' on the response: it was sent, or the client went away; either way nothing to answer.
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
