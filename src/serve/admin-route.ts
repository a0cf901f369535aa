// Bull Board at /admin/queues: the embedding queue's jobs in a browser, behind the API key. Read-only:
// the search server observes the queue (retrying dead-lettered jobs is `embedline jobs retry`).
// It needs Redis: while Redis is unreachable its requests answer 503 QUEUE_UNAVAILABLE at once
// rather than wait for BullMQ's endless reconnect.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import { sendError } from './error-body.ts';
import { CHECK_TIMEOUT_MS, pingRedis } from './health-route.ts';
import { withTimeout } from './with-timeout.ts';

export const ADMIN_QUEUES_PATH = '/admin/queues';

export async function registerAdminRoute(app: FastifyInstance, queue: EmbedQueue): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  // @bull-board/fastify 9.10.1 (its latest) nests its own @bull-board/api 9.10.1 next to our 9.10.2:
  // identical shapes, separately declared types. Pinning @bull-board/api to 9.10.1 dedupes them;
  // until then the adapter is passed through its interface type.
  const adapter = serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'];
  createBullBoard({ queues: [new BullMQAdapter(queue.queue, { readOnlyMode: true })], serverAdapter: adapter });
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      try {
        await withTimeout(pingRedis(queue), CHECK_TIMEOUT_MS, 'Redis');
      } catch (err) {
        return sendError(reply, 'QUEUE_UNAVAILABLE', `Bull Board needs Redis, which is unreachable: ${(err as Error).message}`);
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
