// The deployment files: docker-compose.yml is valid against the Compose Specification schema and
// says what the product needs (scalable workers, a queue that cannot lose jobs, pinned images,
// health-gated start order, a one-shot producer); the Dockerfile is multi-stage and non-root.
//
// No Docker daemon is needed: the compose file is loaded the way Compose loads it (YAML with
// merge keys, then ${VAR:-default} interpolation) and checked with ajv. The two health checks
// that carry their own little HTTP client are run for real against a loopback server.
//
// Run: node --import tsx --test test/deploy/compose.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { asList, COMPOSE_FILE, loadCompose, runHealthcheck } from '../support/compose-file.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = join(ROOT, 'Dockerfile');
const DOCKERIGNORE = join(ROOT, '.dockerignore');
const SCHEMA_FILE = fileURLToPath(new URL('./compose-spec.json', import.meta.url));

// ajv-formats is CommonJS with `exports.default`; under NodeNext typing the default import is the
// module object, at run time it may be either.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

let validator: ValidateFunction | undefined;
async function composeValidator(): Promise<ValidateFunction> {
  if (validator) return validator;
  const schema = JSON.parse(await readFile(SCHEMA_FILE, 'utf8'));
  // The spec's schema leaves "type" implicit beside some "properties"; everything else is strict.
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}

async function schemaErrors(doc: unknown): Promise<ErrorObject[]> {
  const validate = await composeValidator();
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

function describe(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
}

async function composeText(): Promise<string> {
  return readFile(COMPOSE_FILE, 'utf8');
}


// ---------------------------------------------------------------------------------------------
// The schema

test('docker-compose.yml is valid against the Compose Specification schema', async () => {
  const doc = loadCompose(await composeText());

  const errors = await schemaErrors(doc);

  assert.deepEqual(errors, [], describe(errors));
});

test('it stays valid when every variable is set (not just the defaults)', async () => {
  const doc = loadCompose(await composeText(), {
    EMBEDLINE_MODELS: '/srv/models',
    EMBEDLINE_INPUT_DIR: '/srv/input',
    EMBEDLINE_PORT: '18080',
    QDRANT_PORT: '16333',
    INGEST_FILE: 'news.jsonl',
    COLLECTION: 'news',
    INGEST_FIELDS: '--text-field body --id-field url --metadata-fields source',
    EMBEDLINE_WORKER_THREADS: '1',
    EMBEDLINE_BIND: '0.0.0.0',
    EMBEDLINE_API_KEY: 'k',
    QDRANT_API_KEY: 'q',
  });

  const errors = await schemaErrors(doc);
  assert.equal((doc.services.worker.environment as Record<string, string>).EMBEDLINE_THREADS, '1');

  assert.deepEqual(errors, [], describe(errors));
  assert.deepEqual(asList(doc.services.producer.command), [
    'ingest',
    '/data/news.jsonl',
    '--collection',
    'news',
    '--text-field',
    'body',
    '--id-field',
    'url',
    '--metadata-fields',
    'source',
    '--workers',
    '0',
  ]);
  assert.ok(doc.services.search.ports?.includes('0.0.0.0:18080:8080'));
  assert.equal((doc.services.search.environment as Record<string, string>).EMBEDLINE_API_KEY, 'k');
  assert.equal((doc.services.qdrant.environment as Record<string, string>).QDRANT__SERVICE__API_KEY, 'q');
  for (const name of ['worker', 'search', 'producer']) {
    assert.equal((doc.services[name].environment as Record<string, string>).QDRANT_API_KEY, 'q', `${name}: QDRANT_API_KEY not passed through`);
  }
});

test('the validator catches a broken copy of the file', async (t) => {
  const original = await composeText();
  const dir = await mkdtemp(join(tmpdir(), 'embedline-compose-'));
  t.after(() => rm(dir, { recursive: true, force: true }));

  // Each breakage is a plausible typo; each must be reported.
  const breakages: Array<{ name: string; from: string | RegExp; to: string }> = [
    { name: 'unknown depends_on condition', from: 'condition: service_healthy', to: 'condition: service_ready' },
    { name: 'misspelt service key', from: 'stop_grace_period: 30s', to: 'stop_grace_periode: 30s' },
    { name: 'healthcheck retries not a number', from: 'retries: 10', to: 'retries: [ten]' },
    { name: 'unknown top-level key', from: /^volumes:$/m, to: 'volumez:' },
    { name: 'profiles as a string', from: 'profiles: ["ingest"]', to: 'profiles: {ingest: true}' },
  ];
  for (const { name, from, to } of breakages) {
    const broken = original.replace(from, to);
    assert.notEqual(broken, original, `breakage "${name}" did not change the file`);
    const file = join(dir, `${name.replace(/\W+/g, '-')}.yml`);
    await writeFile(file, broken);

    const errors = await schemaErrors(loadCompose(await readFile(file, 'utf8')));

    assert.ok(errors.length > 0, `breakage "${name}" was not reported by the schema`);
  }
});

// ---------------------------------------------------------------------------------------------
// What the product needs from the compose file

test('the services are redis, qdrant, worker, search and a producer', async () => {
  const doc = loadCompose(await composeText());

  assert.deepEqual(Object.keys(doc.services).sort(), ['producer', 'qdrant', 'redis', 'search', 'worker']);
});

test('worker can be scaled: no container_name (on it or anywhere) and no host port', async () => {
  const doc = loadCompose(await composeText());

  const worker = doc.services.worker;
  assert.equal(worker.container_name, undefined);
  assert.equal(worker.ports, undefined);
  for (const [name, service] of Object.entries(doc.services)) {
    assert.equal(service.container_name, undefined, `${name} sets container_name`);
  }
  assert.deepEqual(asList(worker.command), ['worker', '--concurrency', '2']);
});

test('redis cannot evict queue keys and keeps an append-only file on a volume', async () => {
  const doc = loadCompose(await composeText());

  const redis = doc.services.redis;
  const command = asList(redis.command);
  const valueOf = (flag: string) => command[command.indexOf(flag) + 1];
  assert.equal(command[0], 'redis-server');
  assert.equal(valueOf('--maxmemory-policy'), 'noeviction');
  assert.equal(valueOf('--appendonly'), 'yes');
  assert.ok(redis.volumes?.some((v) => typeof v === 'string' && v.endsWith(':/data')), 'redis /data is not a volume');
  assert.match(String(redis.healthcheck?.test), /redis-cli ping/);
});

test('images are pinned: redis 7.x.y, qdrant v1.19.x, never latest', async () => {
  const doc = loadCompose(await composeText());

  assert.match(doc.services.redis.image ?? '', /^redis:7\.\d+\.\d+(-[a-z0-9]+)?$/);
  assert.match(doc.services.qdrant.image ?? '', /^qdrant\/qdrant:v1\.19\.\d+$/);
  for (const [name, service] of Object.entries(doc.services)) {
    if (service.image === undefined) continue;
    assert.match(service.image, /:[^/]+$/, `${name}: image has no tag`);
    assert.doesNotMatch(service.image, /:latest$/, `${name}: image uses latest`);
  }
  assert.ok(
    (doc.services.qdrant.volumes ?? []).some((v) => typeof v === 'string' && v.endsWith(':/qdrant/storage')),
    'qdrant storage is not a volume',
  );
});

test('every dependency waits for a health check that exists', async () => {
  const doc = loadCompose(await composeText());

  const dependants = Object.entries(doc.services).filter(([, s]) => s.depends_on !== undefined);
  assert.deepEqual(dependants.map(([name]) => name).sort(), ['producer', 'search', 'worker']);
  for (const [name, service] of dependants) {
    const dependsOn = service.depends_on;
    assert.ok(dependsOn && !Array.isArray(dependsOn), `${name}: depends_on must be the long form`);
    assert.deepEqual(Object.keys(dependsOn).sort(), ['qdrant', 'redis'], `${name}: depends on`);
    for (const [dependency, { condition }] of Object.entries(dependsOn)) {
      assert.equal(condition, 'service_healthy', `${name} -> ${dependency}`);
      assert.ok(doc.services[dependency]?.healthcheck, `${dependency} has no healthcheck`);
    }
  }
  assert.ok(doc.services.search.healthcheck, 'search has no healthcheck');
});

test('the producer is a one-shot in the ingest profile; the rest start by default', async () => {
  const doc = loadCompose(await composeText());

  const producer = doc.services.producer;
  assert.deepEqual(producer.profiles, ['ingest']);
  // The sample corpus with the column flags a CSV needs (without --text-column, ingest refuses it).
  assert.deepEqual(asList(producer.command), [
    'ingest',
    '/data/articles.csv',
    '--collection',
    'articles',
    '--text-column',
    'title,body',
    '--id-column',
    'id',
    '--metadata-columns',
    'category,year,author',
    '--workers',
    '0',
  ]);
  assert.ok(producer.volumes?.includes('./samples:/data:ro'), 'input folder is not mounted read-only at /data');
  // The rejects file lands under the image's EMBEDLINE_DATA, which is a named volume.
  assert.ok(producer.volumes?.includes('producer-data:/var/lib/embedline'), 'rejects are not on a volume');
  assert.ok('producer-data' in (doc.volumes as Record<string, unknown>));
  assert.equal((producer as { restart?: string }).restart, 'no');
  for (const name of ['redis', 'qdrant', 'worker', 'search']) {
    assert.equal(doc.services[name].profiles, undefined, `${name} is hidden behind a profile`);
  }
});

test('worker, search and producer share one environment block and the read-only model mount', async () => {
  const text = await composeText();
  const doc = loadCompose(text);

  const expected = {
    REDIS_URL: 'redis://redis:6379',
    QDRANT_URL: 'http://qdrant:6333',
    QDRANT_API_KEY: '',
    EMBEDLINE_MODEL: '/models/all-MiniLM-L6-v2',
  };
  for (const name of ['worker', 'search', 'producer']) {
    const service = doc.services[name];
    assert.deepEqual({ ...(service.environment as Record<string, string>) }, {
      ...expected,
      // Unset by default: a worker uses all cores (an empty variable counts as unset).
      ...(name === 'worker' ? { EMBEDLINE_THREADS: '', EMBEDLINE_WORKER_HEARTBEAT_FILE: '/tmp/embedline-worker.alive' } : {}),
      ...(name === 'search' ? { EMBEDLINE_API_KEY: '' } : {}),
    });
    assert.ok(service.volumes?.includes('../shared/models:/models:ro'), `${name}: model not mounted read-only`);
    assert.ok(service.build, `${name}: not built from the Dockerfile`);
  }
  // Written once (an anchor), not pasted into each service.
  assert.equal(text.match(/REDIS_URL:/g)?.length, 1);
  assert.equal(text.match(/QDRANT_URL:/g)?.length, 1);
  assert.deepEqual(asList(doc.services.search.command), ['serve', '--host', '0.0.0.0', '--port', '8080']);
  // Loopback only unless EMBEDLINE_BIND says otherwise (with EMBEDLINE_API_KEY, as the header says).
  assert.deepEqual(doc.services.search.ports, ['127.0.0.1:8080:8080']);
});

// ---------------------------------------------------------------------------------------------
// The health checks that bring their own HTTP client, run against a loopback stand-in

async function withServer(status: number, path: string, fn: (port: number) => Promise<void>): Promise<void> {
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === path ? status : 404, { 'content-type': 'text/plain' });
    res.end(req.url === path ? 'stand-in' : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}


test('the qdrant health check (bash /dev/tcp, no curl) passes on 200 from /readyz and fails otherwise', async () => {
  const doc = loadCompose(await composeText());
  const check = doc.services.qdrant.healthcheck?.test as string[];

  await withServer(200, '/readyz', async (port) => {
    assert.equal(await runHealthcheck(check, 6333, port), true, 'healthy qdrant reported unhealthy');
  });
  await withServer(503, '/readyz', async (port) => {
    assert.equal(await runHealthcheck(check, 6333, port), false, 'unready qdrant reported healthy');
  });
  assert.equal(await runHealthcheck(check, 6333, 1), false, 'closed port reported healthy');
});

test('the search health check (node fetch, no curl) passes on 200 from /readyz and fails otherwise', async () => {
  const doc = loadCompose(await composeText());
  const check = doc.services.search.healthcheck?.test as string[];

  await withServer(200, '/readyz', async (port) => {
    assert.equal(await runHealthcheck(check, 8080, port), true, 'ready search reported unhealthy');
  });
  await withServer(503, '/readyz', async (port) => {
    assert.equal(await runHealthcheck(check, 8080, port), false, 'search without its store reported healthy');
  });
});

test('the worker health check passes on a fresh heartbeat file and fails on a stale or missing one', async (t) => {
  const doc = loadCompose(await composeText());
  const worker = doc.services.worker;
  const file = (worker.environment as Record<string, string>).EMBEDLINE_WORKER_HEARTBEAT_FILE;
  const check = worker.healthcheck?.test as string[];
  const dir = await mkdtemp(join(tmpdir(), 'embedline-heartbeat-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const local = join(dir, 'alive');

  assert.equal(await runHealthcheck(check, file, local), false, 'no heartbeat file reported healthy');
  await writeFile(local, 'now\n');
  assert.equal(await runHealthcheck(check, file, local), true, 'fresh heartbeat reported unhealthy');
  const aMinuteAgo = new Date(Date.now() - 60_000);
  await utimes(local, aMinuteAgo, aMinuteAgo);
  assert.equal(await runHealthcheck(check, file, local), false, 'stale heartbeat reported healthy');
});

// ---------------------------------------------------------------------------------------------
// The Dockerfile

type Instruction = { keyword: string; args: string };

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

test('the Dockerfile is multi-stage, installs production deps only, and runs as a non-root user', async () => {
  const all = instructions(await readFile(DOCKERFILE, 'utf8'));

  // ARGs before the first FROM give the base image names.
  const globalArgs = new Map<string, string>();
  for (const ins of all) {
    if (ins.keyword === 'FROM') break;
    if (ins.keyword === 'ARG') {
      const [name, value = ''] = ins.args.split('=');
      globalArgs.set(name, value.replace(/^"|"$/g, ''));
    }
  }
  const resolve = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a, b) => globalArgs.get(a ?? b) ?? '');

  const stages: Array<{ from: string; name?: string; body: Instruction[] }> = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args.replace(/--platform=\S+\s+/, ''));
      assert.ok(m, `cannot read FROM ${ins.args}`);
      stages.push({ from: resolve(m[1]), name: m[2], body: [] });
    } else if (stages.length > 0) {
      stages.at(-1)?.body.push(ins);
    }
  }

  assert.ok(stages.length >= 2, `expected at least two FROM stages, got ${stages.length}`);
  const deps = stages.find((s) => s.body.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)));
  assert.ok(deps, 'no stage runs npm ci --omit=dev');
  assert.ok(
    deps.body.some((i) => i.keyword === 'ENV' && /ONNXRUNTIME_NODE_INSTALL=skip/.test(i.args)),
    'the deps stage does not set ONNXRUNTIME_NODE_INSTALL=skip',
  );

  const runtime = stages.at(-1)!;
  assert.notEqual(runtime, deps, 'the final stage is the deps stage');
  // The image runs a Node line package.json's engines admits (the LTS lines users run, not an ended one).
  const imageMajor = Number(/^node:(\d+)-/.exec(runtime.from)?.[1]);
  const engineMin = Number(/>=\s*(\d+)/.exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node)?.[1]);
  assert.ok(imageMajor >= engineMin && imageMajor >= 22, `the image's ${runtime.from} is below engines ${engineMin}`);
  const users = runtime.body.filter((i) => i.keyword === 'USER').map((i) => i.args);
  assert.ok(users.length > 0, 'the runtime stage has no USER');
  assert.doesNotMatch(users.at(-1)!, /^(root|0)(:|$)/, 'the final USER is root');
  assert.ok(runtime.body.some((i) => i.keyword === 'WORKDIR' && i.args === '/app'));
  const entrypoint = runtime.body.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  assert.deepEqual(JSON.parse(entrypoint?.args ?? 'null'), ['node', '/app/bin/embedline.js']);
  // The model is optional: a build arg, not a fixed COPY of a model folder.
  assert.ok(runtime.body.some((i) => i.keyword === 'ARG' && /^MODEL_DIR(=|$)/.test(i.args)), 'no MODEL_DIR build arg');
  assert.ok(!all.some((i) => i.keyword === 'COPY' && /models?\//.test(i.args)), 'a model is COPYed unconditionally');
});

test('the files the Dockerfile copies exist and are not excluded by .dockerignore', async () => {
  const ignored = (await readFile(DOCKERIGNORE, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const copied = instructions(await readFile(DOCKERFILE, 'utf8'))
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => i.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));

  assert.ok(copied.length > 0);
  for (const source of copied) {
    assert.ok(existsSync(join(ROOT, source)), `COPY source ${source} is missing`);
    assert.ok(!ignored.includes(source), `COPY source ${source} is in .dockerignore`);
  }
  for (const heavy of ['node_modules', '.git']) {
    assert.ok(ignored.includes(heavy), `${heavy} is not in .dockerignore`);
  }
});
