// Import rules between the pipeline's folders (shared/DESIGN.md): the test command fails on a
// forbidden import or a cycle.
const folder = (name) => `^src/${name}/`;
const forbid = (from, to, comment) => ({
  name: `${from}-not-${to.replace(/[^a-z]+/g, '-')}`,
  comment,
  severity: 'error',
  from: { path: folder(from) },
  to: { path: to },
});

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    forbid('embed', '^src/(store|queue|worker|producer|search|cli)/|node_modules/(bullmq|ioredis|fastify)', 'embed is pure: no Redis, HTTP, store or CLI'),
    forbid('eval', '^src/(store|queue|worker|producer|search|cli)/', 'evaluation only needs the embedder'),
    forbid('store', '^src/(queue|worker|producer|search|cli)/', 'stores know nothing of queues, workers or HTTP'),
    forbid('producer', '^src/(worker|search|cli)/', 'producers feed the queue; they do not run workers or serve'),
    forbid('queue', '^src/(embed|store|producer|worker|search|cli)/', 'queue holds contracts and Redis options only'),
    forbid('worker', '^src/(producer|search|cli)/', 'workers take jobs from the queue only'),
    forbid('search', '^src/(producer|worker|cli)/', 'search reads stores and embeds queries'),
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
