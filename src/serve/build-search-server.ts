// Assembles the search server: request ids and one log line per request, error mapping, rate limit, CORS, API
// key, docs, metrics, the API routes (search, and the OpenAI- and TEI-compatible embedding endpoints), Bull
// Board and the page. Returns the fastify instance unstarted, so tests can inject requests or listen on port
// 0, and `embedline serve` listens on its port.
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { log } from '../log.ts';
import type { EmbedQueue } from '../queue/embed-queue.ts';
import type { VectorStore } from '../store/vector-store.ts';
import { AdmissionQueue } from '../search/admission-queue.ts';
import type { CollectionModels } from '../search/collection-models.ts';
import { EmbeddingService } from './embedding-service.ts';
import { EmbeddingTargets } from './embedding-targets.ts';
import { SearchService } from '../search/search-service.ts';
import { registerAdminRoute } from './admin-route.ts';
import { answerWithin } from './answer-timeout.ts';
import { registerApiDocs } from './api-docs.ts';
import { requireApiKey } from './api-key-auth.ts';
import { registerCollectionsRoute } from './collections-route.ts';
import { errorServerOptions, installErrorHandlers, MAX_PARAM_CHARS } from './error-handler.ts';
import { registerHealthRoute } from './health-route.ts';
import { acceptJsonBodiesOnly } from './json-body.ts';
import { registerMetricsRoute } from './metrics-route.ts';
import { registerOpenAiEmbeddingRoutes } from './openai-embeddings-route.ts';
import { registerPageRoute } from './page-route.ts';
import { logRequests, requestId } from './request-log.ts';
import { limitRequestRate } from './rate-limit.ts';
import { SearchMetrics } from './search-metrics.ts';
import { registerSearchRoute } from './search-route.ts';
import { registerTeiRoutes } from './tei-route.ts';

export interface SearchServerDeps {
  store: VectorStore;
  /** Finds the embedder each collection was built with. */
  models: CollectionModels;
  /** The embedding queue, for /health, queue-depth metrics and Bull Board; optional for a search-only server. */
  queue?: EmbedQueue;
  config: Pick<Config, 'apiKey' | 'server'>;
}

/** A search request is a query and a small filter; anything bigger is a mistake or an attack. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Searches and embedding requests in progress at once; more wait, up to EMBEDLINE_MAX_QUEUED_REQUESTS.
 * One full ONNX batch of queries: enough to keep the cores busy, few enough that the store's native
 * memory for concurrent searches stays small.
 */
export const SEARCHES_AT_ONCE = 64;
/** An idle keep-alive connection is closed after this (fastify's default, 72 s, holds sockets long). */
const KEEP_ALIVE_TIMEOUT_MS = 5000;
/**
 * How much longer than EMBEDLINE_HTTP_TIMEOUT_MS a handler may run before it answers 503 TIMEOUT
 * (the clock starts before the body has arrived: a body that never comes is answered 408 first),
 * and how much longer than that an idle socket is kept, so that answer is never cut off.
 */
const HANDLER_TIMEOUT_SLACK_MS = 5000;
/** The request line and headers must arrive within this (or the whole timeout, if shorter). */
const HEADERS_TIMEOUT_MS = 10_000;

export async function buildSearchServer(deps: SearchServerDeps): Promise<FastifyInstance> {
  const { store, queue, config } = deps;
  const timeoutMs = config.server.httpTimeoutMs;
  const handlerTimeoutMs = timeoutMs + HANDLER_TIMEOUT_SLACK_MS;
  const app = Fastify({
    // Our own log (src/log.ts, pino underneath): one line per request, written by request-log.ts.
    logger: false,
    genReqId: requestId,
    bodyLimit: BODY_LIMIT_BYTES,
    ...errorServerOptions(),
    routerOptions: { maxParamLength: MAX_PARAM_CHARS },
    // Half-open requests (headers or body never finished) are answered 408 and closed, idle sockets
    // are closed, and a handler that hangs on a dependency answers 503 TIMEOUT (answer-timeout.ts):
    // nothing is held forever, and everything is answered before its socket is closed.
    requestTimeout: timeoutMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: handlerTimeoutMs + HANDLER_TIMEOUT_SLACK_MS,
    http: {
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, timeoutMs),
      // How often node looks for requests past those timeouts (default 30 s: too coarse for them).
      connectionsCheckingInterval: 1000,
      // A request without Host reaches our handlers (and our error shape) instead of node's bare 400.
      requireHostHeader: false,
    },
    ajv: {
      customOptions: {
        // Reject what the schema does not describe instead of fixing it up silently: a "k": "5"
        // or a misspelt "fitler" is the client's bug, and it should hear about it.
        coerceTypes: false,
        removeAdditional: false,
      },
    },
  });
  logRequests(app);
  installErrorHandlers(app, BODY_LIMIT_BYTES);
  answerWithin(app, handlerTimeoutMs);
  acceptJsonBodiesOnly(app);

  // Hook order matters: CORS answers preflights first, the rate limit counts before the key is
  // checked, and the key is checked before any route runs.
  if (config.server.corsOrigins) await app.register(cors, { origin: config.server.corsOrigins, methods: ['GET', 'POST'] });
  if (config.server.rateLimitPerMinute) await limitRequestRate(app, config.server.rateLimitPerMinute);
  if (config.apiKey) requireApiKey(app, config.apiKey);

  await registerApiDocs(app);
  const metrics = new SearchMetrics(queue);
  registerMetricsRoute(app, metrics);

  // The one bound on held work: searches and embedding requests queue (and are refused) together.
  const admission = new AdmissionQueue({ concurrency: SEARCHES_AT_ONCE, maxQueued: config.server.maxQueuedRequests });
  const batchWindowMs = config.server.queryBatchWindowMs;
  const search = new SearchService(store, deps.models, { batchWindowMs, cacheSize: config.server.queryCacheSize, admission, observer: metrics });
  app.addHook('onReady', () => warmUp(search));
  registerSearchRoute(app, search);
  registerCollectionsRoute(app, search.catalog);
  const targets = new EmbeddingTargets(deps.models, search.catalog);
  // Embedding inputs join the searches' run queue: one set of run slots over the model's sessions.
  const embeddings = new EmbeddingService({ runs: search.runs!, parallelRuns: deps.models.parallelRuns, admission, maxRequestTokens: config.server.maxRequestTokens });
  await registerOpenAiEmbeddingRoutes(app, targets, embeddings);
  registerTeiRoutes(app, targets, embeddings);
  registerHealthRoute(app, store, queue);
  if (queue) await registerAdminRoute(app, queue);
  await registerPageRoute(app);
  return app;
}

/** SearchService.warmUp before the server answers; a failure is logged, not fatal: the queries themselves will report it. */
async function warmUp(search: SearchService): Promise<void> {
  try {
    await search.warmUp();
  } catch (err) {
    log('warn', 'serve.warm-up-failed', { message: err instanceof Error ? err.message : String(err) });
  }
}
