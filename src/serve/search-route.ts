// POST /v1/collections/{name}/search: embed the query with the collection's own model and pooling, return the
// top k hits (or, with `groupBy: "document"`, the top k documents by their best chunk, each with `matches`;
// see search-service.ts) and `noCloseMatch` (the best dense hit is below the collection's calibrated floor,
// `scoreFloor`) (`mode`: dense by default, keyword or hybrid; see contracts/search-mode.ts). The JSON schema
// validates the shape (and documents it in OpenAPI); parseFilter checks the filter's values, naming the bad
// field.
import type { FastifyInstance } from 'fastify';
import { checkCollectionName, COLLECTION_NAME_RULE } from '../contracts/collection-name.ts';
import { parseFilter, type Filter } from '../contracts/filter.ts';
import { searchHitSchema } from '../contracts/search-hit.ts';
import { DEFAULT_SEARCH_MODE, SEARCH_MODES, type SearchMode } from '../contracts/search-mode.ts';
import { CANDIDATES_PER_DOCUMENT, DEFAULT_K, GROUP_BY_VALUES, MAX_K, type GroupBy, type SearchService } from '../search/search-service.ts';
import { errorBodySchema } from './error-body.ts';

const MATCHES_SCHEMA = { type: 'integer', description: "groupBy document only: how many of the document's chunks were among the candidates" } as const;
import { NOT_BLANK } from './validation-message.ts';

/** Longer queries are truncated to the model's token limit anyway; this only bounds the work. */
export const MAX_QUERY_CHARS = 4096;

interface SearchBody {
  query: string;
  k?: number;
  filter?: Record<string, unknown>;
  scoreThreshold?: number;
  mode?: SearchMode;
  groupBy?: GroupBy;
}

const bodySchema = {
  type: 'object',
  required: ['query'],
  additionalProperties: false,
  properties: {
    query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS, pattern: NOT_BLANK, description: 'text to search for' },
    k: { type: 'integer', minimum: 1, maximum: MAX_K, default: DEFAULT_K, description: 'number of hits' },
    filter: {
      type: 'object',
      // Values are checked by parseFilter, whose message names the field and the accepted shapes.
      description:
        'metadata filter, all keys ANDed: {"field": value} is equality (on a list field: contains), {"field": [a, b]} any-of, {"field": {"gte": 2020, "lt": 2024}} a range (numbers, or ISO 8601 dates such as 2024-03-01), {"not": {...}} the negation; fields are metadata keys or documentId',
      examples: [{ category: ['astronomy', 'biology'], year: { gte: 2015 }, not: { author: 'Ada' } }],
    },
    scoreThreshold: { type: 'number', description: 'drop hits scoring below this (cosine similarity for normalised models); dense mode only' },
    groupBy: { type: 'string', enum: GROUP_BY_VALUES, description: `document: one hit per document (its best chunk) with matches, its chunks among the top k × ${CANDIDATES_PER_DOCUMENT}` },
    mode: {
      type: 'string',
      enum: SEARCH_MODES,
      default: DEFAULT_SEARCH_MODE,
      description: 'dense: by embedding similarity; keyword: by the keyword index (BM25-style, exact terms such as identifiers and codes); hybrid: both, fused by reciprocal rank (k = 60)',
    },
  },
} as const;

export function registerSearchRoute(app: FastifyInstance, search: SearchService): void {
  app.post<{ Params: { name: string }; Body: SearchBody }>(
    '/v1/collections/:name/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Semantic search in a collection',
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { name: { type: 'string', description: `the collection: ${COLLECTION_NAME_RULE}` } }, required: ['name'] },
        body: bodySchema,
        response: {
          200: {
            type: 'object',
            properties: {
              hits: { type: 'array', items: { ...searchHitSchema, properties: { ...searchHitSchema.properties, matches: MATCHES_SCHEMA } } },
              noCloseMatch: { type: 'boolean', description: "the best hit scores below the collection's calibrated floor (or there is none): weak hits, not answers; dense mode only" },
              scoreFloor: { type: 'number', description: 'the floor applied (`embedline calibrate`); absent when the collection has none or the mode is not dense' },
              tookMs: { type: 'number' },
            },
            required: ['hits', 'noCloseMatch', 'tookMs'],
          },
          '4xx': errorBodySchema,
          '5xx': errorBodySchema,
        },
      },
    },
    async (request) => {
      const started = performance.now();
      checkCollectionName(request.params.name);
      const { query, k, filter, scoreThreshold, mode, groupBy } = request.body;
      const parsedFilter: Filter | undefined = filter === undefined ? undefined : parseFilter(filter, 'body.filter');
      const answer = await search.search(request.params.name, query, { k, filter: parsedFilter, scoreThreshold, mode, groupBy });
      return { ...answer, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    },
  );
}
