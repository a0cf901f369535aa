// Health for orchestrators and people, in three questions. Public: load balancers call them
// without the API key.
// - GET /livez: is the process alive and its event loop turning? Always 200; restart it if not.
// - GET /readyz: can it answer searches? Searches need the vector store, not Redis: 200, or 503
//   when the store is unreachable. Route traffic by this one.
// - GET /health: every dependency, and what is degraded: Redis down leaves search working but
//   Bull Board and the queue metrics without data, so it is 200 "degraded" naming that; the store
//   down is 503 "unavailable". Each check is bounded in time, so a dependency that hangs still
//   gets an answer.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { errorBody, errorBodySchema } from './error-body.ts';
import { RETRY_AFTER_SECONDS } from './error-status.ts';
import { withTimeout } from './with-timeout.ts';

export const CHECK_TIMEOUT_MS = 2000;

interface Check {
  ok: boolean;
  error?: string;
}

async function check(what: string, probe: () => Promise<unknown>): Promise<Check> {
  try {
    await withTimeout(probe(), CHECK_TIMEOUT_MS, what);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Redis answers a cheap read (BullMQ's client waits for a reconnect forever: callers bound it). */
export function pingRedis(queue: EmbedQueue): Promise<unknown> {
  return queue.backlog();
}

/** What stops working while Redis is unreachable; searches do not need it. */
const REDIS_DEGRADES = 'Redis unreachable: /admin/queues and the queue metrics are unavailable; search works';

const checkSchema = { type: 'object', properties: { ok: { type: 'boolean' }, error: { type: 'string' } }, required: ['ok'] } as const;
const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'] },
    degraded: { type: 'array', items: { type: 'string' }, description: 'what does not work now, and why' },
    redis: checkSchema,
    store: checkSchema,
    error: errorBodySchema.properties.error,
  },
  required: ['status', 'degraded', 'store'],
} as const;
const readySchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ready', 'unavailable'] }, store: checkSchema, error: errorBodySchema.properties.error },
  required: ['status', 'store'],
} as const;
const liveSchema = { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } as const;

export function registerHealthRoute(app: FastifyInstance, store: VectorStore, queue?: EmbedQueue): void {
  const checkStore = () => check('the vector store', () => store.ping());

  app.get('/livez', { schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: liveSchema } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Searches can be answered (the store is reachable)', response: { 200: readySchema, 503: readySchema } } },
    async (_request, reply) => {
      const storeCheck = await checkStore();
      if (storeCheck.ok) return { status: 'ready', store: storeCheck };
      return unavailable(reply).send({ status: 'unavailable', store: storeCheck, ...storeDown(storeCheck, reply.request.id) });
    },
  );

  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Redis and store reachable; what is degraded', response: { 200: healthSchema, 503: healthSchema } } },
    async (_request, reply) => {
      const [redis, storeCheck] = await Promise.all([queue ? check('Redis', () => pingRedis(queue)) : Promise.resolve(undefined), checkStore()]);
      const degraded = redis && !redis.ok ? [REDIS_DEGRADES] : [];
      if (!storeCheck.ok) {
        return unavailable(reply).send({ status: 'unavailable', degraded: [...degraded, 'store unreachable: searches fail'], redis, store: storeCheck, ...storeDown(storeCheck, reply.request.id) });
      }
      return { status: degraded.length > 0 ? 'degraded' : 'ok', degraded, redis, store: storeCheck };
    },
  );
}

/** A 503 from a health route is an error response too: it carries the `error` member as well. */
function storeDown(storeCheck: Check, requestId: string) {
  return errorBody('STORE_UNAVAILABLE', `the vector store is unreachable: ${storeCheck.error ?? 'unknown error'}`, requestId);
}

function unavailable(reply: FastifyReply): FastifyReply {
  return reply.code(503).header('retry-after', RETRY_AFTER_SECONDS);
}
