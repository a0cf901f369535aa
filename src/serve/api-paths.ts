// Which requests are API requests: they need the API key and count against the rate limit. The
// health check, the web page's files and the OpenAPI docs stay public.
import type { FastifyRequest } from 'fastify';

// /embed (and /embed_all), /tokenize, /info and POST / are the TEI-compatible endpoints: TEI
// guards them with its API key too. GET / is the web page, public.
const API_PREFIXES = ['/v1/', '/metrics', '/admin/', '/embed', '/tokenize', '/info'];

const isApiPath = (path: string) => API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));

/**
 * Decided on both the matched route and the raw path: the route pattern cannot be dodged by
 * spelling the URL differently, and the raw path covers URLs no route matches (an unknown
 * /v1/... answers 401, not 404, so it does not reveal which routes exist).
 */
export function isApiRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  const path = request.url.split('?')[0];
  return (route !== undefined && isApiPath(route)) || isApiPath(path) || (request.method === 'POST' && path === '/');
}
