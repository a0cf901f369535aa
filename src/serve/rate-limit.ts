// Per-client rate limit on API requests (EMBEDLINE_RATE_LIMIT requests per minute per IP), off
// unless configured. Installed as the first onRequest hook, so it also slows down guessing the API
// key (checked after it). The reply is sent here rather than thrown, so that it has our error
// shape on every route (Bull Board's routes have their own error handler).
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { isApiRequest } from './api-paths.ts';
import { sendError } from './error-body.ts';

const WINDOW_MS = 60_000;

export async function limitRequestRate(app: FastifyInstance, perMinute: number): Promise<void> {
  await app.register(rateLimit, { global: false, max: perMinute, timeWindow: WINDOW_MS });
  const limiter = app.createRateLimit();
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiRequest(request)) return;
    const limit = await limiter(request);
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max);
    reply.header('x-ratelimit-remaining', limit.remaining);
    reply.header('x-ratelimit-reset', limit.ttlInSeconds);
    if (!limit.isExceeded) return;
    reply.header('retry-after', limit.ttlInSeconds);
    return sendError(reply, 'RATE_LIMITED', `more than ${perMinute} requests a minute; retry in ${limit.ttlInSeconds} s`);
  });
}
