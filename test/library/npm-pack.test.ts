// The package as a user gets it: `npm pack` (which compiles src/ into dist/ through prepack), the tarball
// unpacked into a fresh project's node_modules, then, in that project, a TypeScript file that imports
// `embedline`, ingests samples/articles.csv (real Redis under this file's own prefix, a temp data folder) and
// searches it with no model named and no model variable set; the installed `embedline` bin lists the
// collection; and tsc checks the same file against the shipped type declarations (alongside the ingest, to
// keep the file near 2 minutes).
//
// Dependencies: by default a real `npm install <tarball> --prefer-offline --omit=dev` into the fresh
// project, as a user does (it copies ~630 MB of dependencies, onnxruntime and LanceDB among them, from
// npm's cache that `npm ci` filled: about a minute here). EMBEDLINE_PACK_TEST_INSTALL=unpack is a
// quicker mode for development: the tarball is unpacked exactly where npm puts it
// (node_modules/embedline, bin linked in node_modules/.bin) and the dependencies are this checkout's,
// one folder up (Node's and tsc's resolution walk up), so only the package's own part is tested.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR } from '../support/model.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';

const run = promisify(execFile);
const iso = isolatedEnv('npm-pack');
const app = join(iso.dir, 'app');
const realInstall = process.env.EMBEDLINE_PACK_TEST_INSTALL !== 'unpack';
const distExisted = existsSync(join(PROJECT_ROOT, 'dist'));
// No model variable: the consumer names no model, so the default id is found in the app's ./models folder
// (the documented offline path; a user with Hub access gets it fetched instead). Only the test's own Redis
// prefix and data folder are set, and EMBEDLINE_QUIET. A variable left in the runner's environment is dropped.
const { EMBEDLINE_MODEL: _ignored, ONNXRUNTIME_NODE_INSTALL: _skip, ...runnerEnv } = process.env;
const env = { ...runnerEnv, ...iso.env, EMBEDLINE_QUIET: '1' };
const CONSUMER = `import { ingest, openStore, search, EmbedlineError, type IngestSummary, type SearchHit } from 'embedline';

const [csv, dataDir] = process.argv.slice(2);
const store = openStore({ dataDir });
const summary: IngestSummary = await ingest(csv, { collection: 'articles', textFields: ['title', 'body'], idField: 'id', metadataFields: ['category'], store });
const hits: SearchHit[] = await search('articles', 'how do stars produce energy', { k: 3, store });
let badCall: string | undefined;
try {
  await search('articles', 'how do stars produce energy', { k: 0, store });
} catch (err) {
  if (err instanceof EmbedlineError) badCall = err.code;
}
await store.close();
console.log(JSON.stringify({ added: summary.added, rejected: summary.rejected, lost: summary.lost, top: hits[0]?.documentId, hits: hits.length, badCall }));
`;

/** The consumer's type check, started once the package is in place and run beside the ingest. */
let typeCheck: Promise<{ stdout: string }>;

after(async () => {
  if (!distExisted) rmSync(join(PROJECT_ROOT, 'dist'), { recursive: true, force: true });
  await iso.cleanup();
});

before(async () => {
  const { stdout } = await run('npm', ['pack', '--pack-destination', iso.dir, '--json'], { cwd: PROJECT_ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  const [{ filename, files }] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const paths = files.map((f) => f.path);
  assert.ok(paths.includes('dist/index.js') && paths.includes('dist/index.d.ts') && paths.includes('dist/embed/session-thread.mjs'), 'compiled entry, declarations and runtime files packed');
  assert.ok(!paths.some((p) => p.startsWith('src/') || p.startsWith('test/')), 'no sources or tests in the package');
  assert.ok(['export_model.py', 'requirements-torch.txt', 'requirements.txt'].every((f) => paths.includes(`python/export/${f}`)), 'model export\'s Python script and requirements packed');
  mkdirSync(app, { recursive: true });
  // As docs/library.md tells a user: the consumer's own allowScripts denies onnxruntime-node's GPU download
  // (embedline's allowScripts does not reach a consumer's install); no environment variable.
  const consumerPackage = { name: 'embedline-consumer', private: true, type: 'module', allowScripts: { 'onnxruntime-node': false } };
  writeFileSync(join(app, 'package.json'), JSON.stringify(consumerPackage));
  writeFileSync(join(app, 'consumer.ts'), CONSUMER);
  mkdirSync(join(app, 'models'));
  symlinkSync(MODEL_DIR, join(app, 'models', 'all-MiniLM-L6-v2'));
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] }, include: ['consumer.ts'] }),
  );
  const tarball = join(iso.dir, filename);
  if (realInstall) {
    await run('npm', ['install', tarball, '--prefer-offline', '--omit=dev', '--no-audit', '--no-fund'], { cwd: app, env, maxBuffer: 16 * 1024 * 1024 });
    startTypeCheck();
    return;
  }
  const installed = join(app, 'node_modules', 'embedline');
  mkdirSync(join(app, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(installed);
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  symlinkSync('../embedline/bin/embedline.js', join(app, 'node_modules', '.bin', 'embedline'));
  symlinkSync(realpathSync(join(PROJECT_ROOT, 'node_modules')), join(iso.dir, 'node_modules'));
  startTypeCheck();
});

function startTypeCheck(): void {
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  typeCheck = run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, env });
  typeCheck.catch(() => undefined); // awaited (and reported) by its test
}

test('a TypeScript file in another project imports embedline, ingests the sample CSV and searches it', async () => {
  // The project's tsx, by URL: the consumer itself installs nothing but embedline.
  const { stdout } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), 'consumer.ts', join(PROJECT_ROOT, 'samples', 'articles.csv'), iso.dataDir], { cwd: app, env });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  assert.deepEqual(result, { added: 250, rejected: 0, lost: 0, top: 'ast-001', hits: 3, badCall: 'BAD_REQUEST' });
});

test('the installed bin runs the compiled CLI and sees what the library stored', async () => {
  const { stdout } = await run(join(app, 'node_modules', '.bin', 'embedline'), ['collections', '--json'], { cwd: app, env });
  const collections = JSON.parse(stdout).collections as Array<{ name: string; documents: number }>;
  assert.deepEqual(collections.map((c) => [c.name, c.documents]), [['articles', 250]]);
});

test('the consumer type-checks against the shipped declarations', async () => {
  await typeCheck.catch((err: { message: string; stdout?: string }) => assert.fail(`tsc: ${err.stdout || err.message}`));
});
