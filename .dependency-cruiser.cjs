// Import rules between the pipeline's folders (the table in docs/ARCHITECTURE.md, including src/core
// and src/index.ts), as an ALLOW-list: a file may import its own folder, the shared modules, the
// folders listed for it and the npm packages listed for it, and nothing else. Anything not listed
// is an error (`not-in-allowed`), so a new edge has to be added here, on purpose. Node's built-in
// modules are allowed everywhere except the network ones in src/embed. No cycles; nothing imports
// the CLI. test/architecture/dependency-rules.test.ts runs these rules on a small fixture to prove
// that a forbidden import is reported.

/** Importable by every folder: contracts, the error module, the log, the configuration. */
const SHARED = ['contracts/', 'errors.ts', 'log.ts', 'config.ts'];

/**
 * Per part of src: the folders (and top-level files) it may import besides itself and SHARED,
 * those it may import types from only, and its npm packages.
 */
const ALLOWED = {
  'embed/': { ours: [], npm: ['onnxruntime-node', '@huggingface/tokenizers'] },
  // Models by Hub id: the local models folders, the Hugging Face cache and the Hub (network).
  'hub/': { ours: ['embed/'], npm: ['@huggingface/hub'] },
  'store/': { ours: [], typesFrom: ['embed/'], npm: ['@lancedb/lancedb', 'apache-arrow', '@qdrant/js-client-rest', 'uuid'] },
  // Readers of the source formats: csv-parse for CSV/TSV, hyparquet (and its codecs) for Parquet.
  'producer/': { ours: ['embed/', 'queue/', 'store/', 'telemetry/'], npm: ['csv-parse', 'hyparquet', 'hyparquet-compressors'] },
  'queue/': { ours: [], npm: ['bullmq', 'ioredis'] },
  // BullMQ's Worker class is the worker's engine; the queue folder holds the names and options.
  'worker/': { ours: ['queue/', 'embed/', 'store/', 'batching/'], npm: ['bullmq'] },
  // Token budgets, coalescing and run slots: shared by the worker, the search runs and the store batches.
  'batching/': { ours: [], typesFrom: ['embed/'], npm: [] },
  // SearchService and the collections' models: the one search path, without HTTP.
  'search/': { ours: ['embed/', 'hub/', 'store/', 'queue/', 'telemetry/', 'batching/'], npm: ['lru-cache'] },
  // The HTTP server: search, embedding endpoints (OpenAI, TEI), the page, admin and metrics.
  'serve/': {
    ours: ['search/', 'embed/', 'hub/', 'store/', 'queue/', 'telemetry/', 'batching/'],
    npm: ['fastify', '@fastify/cors', '@fastify/rate-limit', '@fastify/static', '@fastify/swagger', '@fastify/swagger-ui', '@bull-board/api', '@bull-board/fastify', 'lru-cache', 'prom-client'],
  },
  // Metrics and traces: observe the others (types only), own prom-client and OpenTelemetry.
  'telemetry/': { ours: [], typesFrom: ['embed/', 'queue/', 'store/'], npm: ['prom-client', '@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources', '@opentelemetry/core', '@opentelemetry/context-async-hooks'] },
  'eval/': { ours: ['embed/'], npm: [] },
  // Model export runs Python in child processes and proves the result with the embedder.
  'export/': { ours: ['embed/'], npm: [] },
  'core/': { ours: ['embed/', 'hub/', 'producer/', 'queue/', 'worker/', 'store/', 'search/', 'eval/', 'batching/'], npm: [] },
  'cli/': { ours: ['core/', 'embed/', 'export/', 'hub/', 'producer/', 'queue/', 'worker/', 'store/', 'search/', 'serve/', 'eval/', 'telemetry/', 'batching/'], npm: ['commander', 'cli-progress'] },
  'index.ts': { ours: ['core/', 'embed/', 'hub/', 'producer/', 'queue/', 'store/', 'search/', 'serve/', 'eval/', 'batching/'], npm: [] },
  // The shared modules themselves stay leaves: contracts name the embedder's types at most.
  'contracts/': { ours: [], typesFrom: ['embed/'], npm: [], shared: ['contracts/', 'errors.ts'] },
  'config.ts': { ours: [], npm: ['zod'], shared: ['errors.ts'] },
  'errors.ts': { ours: [], npm: [], shared: [] },
  'log.ts': { ours: [], npm: ['pino'], shared: [] },
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** `^src/(a/|b\.ts$)`: a folder matches everything under it, a file only itself. */
const srcPath = (parts) => `^src/(${parts.map((part) => (part.endsWith('/') ? escape(part) : `${escape(part)}$`)).join('|')})`;
/** The package's files wherever node_modules is (a worktree may link to another checkout's). */
const npmPath = (packages) => `(^|/)node_modules/(${packages.map(escape).join('|')})/`;

const allowed = [{ comment: "node's built-in modules", from: {}, to: { dependencyTypes: ['core'] } }];
for (const [part, rule] of Object.entries(ALLOWED)) {
  const from = { path: srcPath([part]) };
  const ours = [...new Set([part, ...(rule.shared ?? SHARED), ...rule.ours])];
  allowed.push({ comment: `${part}: its own files, the shared modules, ${rule.ours.join(', ') || 'no other folder'}`, from, to: { path: srcPath(ours) } });
  if (rule.typesFrom) allowed.push({ comment: `${part}: types only from ${rule.typesFrom.join(', ')}`, from, to: { path: srcPath(rule.typesFrom), dependencyTypes: ['type-only'] } });
  if (rule.npm.length > 0) allowed.push({ comment: `${part}: npm ${rule.npm.join(', ')}`, from, to: { path: npmPath(rule.npm) } });
}

// The table itself, for test/architecture/architecture-doc.test.ts (which keeps docs/ARCHITECTURE.md's copy
// true). Not enumerable: dependency-cruiser validates the exported keys against its own schema.
Object.defineProperty(module.exports, 'parts', { value: { SHARED, ALLOWED }, enumerable: false });

Object.assign(module.exports, {
  allowed,
  allowedSeverity: 'error',
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'embed-no-network',
      comment: 'embed is pure computation: no HTTP, no sockets',
      severity: 'error',
      from: { path: '^src/embed/' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(http|https|http2|net|tls|dgram)$' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-not-test',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    { name: 'no-unresolvable', comment: 'an import that resolves to nothing', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // uuid (and others) resolve through their package.json "exports", by the conditions Node uses.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'], conditionNames: ['import', 'node', 'require', 'default'], exportsFields: ['exports'] },
  },
});
