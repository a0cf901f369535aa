// GET /v1/collections: what can be searched, with the model facts and the metadata fields the web
// page offers as filters.
import type { FastifyInstance } from 'fastify';
import type { CollectionCatalog } from '../search/collection-catalog.ts';
import { errorBodySchema } from './error-body.ts';

const collectionSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    points: { type: 'integer' },
    documents: { type: 'integer' },
    model: { type: 'string' },
    pooling: { type: 'string' },
    dims: { type: 'integer' },
    metadataFields: {
      type: 'array',
      description: 'metadata keys seen in a sample of the points, with their type and (when few) their values',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          type: { type: 'string', enum: ['string', 'number', 'boolean', 'mixed'] },
          values: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] } },
          list: { type: 'boolean', description: 'the field holds arrays: a filter value matches a point whose array contains it' },
          min: { type: 'number', description: 'number fields: the smallest sampled value' },
          max: { type: 'number', description: 'number fields: the largest sampled value' },
        },
        required: ['name', 'type', 'values'],
      },
    },
  },
  required: ['name', 'points', 'documents', 'model', 'pooling', 'dims', 'metadataFields'],
} as const;

export function registerCollectionsRoute(app: FastifyInstance, catalog: CollectionCatalog): void {
  app.get(
    '/v1/collections',
    {
      schema: {
        tags: ['collections'],
        summary: 'List collections',
        security: [{ bearer: [] }],
        response: {
          200: { type: 'object', properties: { collections: { type: 'array', items: collectionSchema } }, required: ['collections'] },
          '4xx': errorBodySchema,
          '5xx': errorBodySchema,
        },
      },
    },
    async () => ({ collections: await catalog.list() }),
  );
}
