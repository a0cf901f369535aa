// GET /metrics: Prometheus text format, and the hook that times every request for it.
import type { FastifyInstance } from 'fastify';
import type { SearchMetrics } from './search-metrics.ts';

export function registerMetricsRoute(app: FastifyInstance, metrics: SearchMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL, keeps label cardinality bounded (unknown URLs share one label).
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', security: [{ bearer: [] }] } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
}
