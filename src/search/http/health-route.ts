// GET /health: can this server answer queries? Checks that Redis (the queue) and the vector store
// are reachable, each within a bound, and answers 503 naming what is down. Public: load balancers
// and orchestrators call it without the API key.
import type { FastifyInstance } from 'fastify';
import type { EmbedQueue } from '../../queue/embed-queue.ts';
import type { VectorStore } from '../../store/vector-store.ts';
import { withTimeout } from './with-timeout.ts';

const CHECK_TIMEOUT_MS = 2000;

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

const checkSchema = { type: 'object', properties: { ok: { type: 'boolean' }, error: { type: 'string' } }, required: ['ok'] } as const;
const healthSchema = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['ok', 'unavailable'] }, redis: checkSchema, store: checkSchema },
  required: ['status', 'store'],
} as const;

export function registerHealthRoute(app: FastifyInstance, store: VectorStore, queue?: EmbedQueue): void {
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Redis and store reachable', response: { 200: healthSchema, 503: healthSchema } } },
    async (_request, reply) => {
      const [redis, storeCheck] = await Promise.all([
        queue ? check('Redis', () => queue.counts()) : Promise.resolve(undefined),
        check('the vector store', () => store.listCollections()),
      ]);
      const ok = storeCheck.ok && (redis?.ok ?? true);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', redis, store: storeCheck });
    },
  );
}
