// The OpenAPI document (built from the routes' JSON schemas) and the interactive docs at /docs.
// Registered before the routes so that it sees them; only tagged routes are documented (the page's
// files and Bull Board's internals are not API).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const DOCS_PATH = '/docs';

export async function registerApiDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    hideUntagged: true,
    openapi: {
      info: {
        title: 'embedline search API',
        description: 'Semantic search over collections built by embedline. Errors are {"error": {"code", "message"}}.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'EMBEDLINE_API_KEY, when the server has one' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PATH });
}
