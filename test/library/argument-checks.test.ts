// The library as a plain-JavaScript caller meets it: every failure is an EmbedlineError with a
// message naming what is wrong (docs/library.md's promise), never a TypeError from deep inside. Each
// case here was a TypeError, a wrong result or a raw system error: embed(null), ingest() without a
// collection, search(c, undefined), textFields given as one string (it became the columns "b",
// "o", "d", "y"), a store used after close(), EMBEDLINE_DATA naming a file (ENOTDIR …/aliases.json)
// and EMBEDLINE_THREADS=1000000 (accepted).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EmbedlineError, ingest, loadEmbedder, openStore, search, type VectorStore } from '../../src/index.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';

const iso = isolatedEnv('library-arguments');
const csv = join(iso.dir, 'notes.csv');
let store: VectorStore;
const isolated = () => ({ store, redisUrl: iso.env.REDIS_URL!, queuePrefix: iso.prefix, rejectsPath: join(iso.dir, 'rejects.jsonl') });

before(() => {
  store = openStore({ dataDir: iso.dataDir });
  writeFileSync(csv, 'id,body\nn1,The sun fuses hydrogen into helium.\nn2,Sourdough rises because yeast ferments the dough.\n');
});
after(async () => {
  await store.close();
  await iso.cleanup();
});

async function failsWith(work: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await work().then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EmbedlineError, `an EmbedlineError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  assert.ok(!err.message.includes('\n'), 'one line');
}

/** Runs `work` with environment variables set, as the library reads them at each call. */
async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

// Plain-JavaScript calls: the casts stand for callers without types.
const untyped = (value: unknown) => value as never;

test('embed(null) and embed("text") name the argument', async () => {
  const embedder = await testEmbedder();
  await failsWith(() => embedder.embed(untyped(null)), 'INPUT_INVALID', /^texts must be an array of strings, got null$/);
  await failsWith(() => embedder.embed(untyped('a star')), 'INPUT_INVALID', /^texts must be an array of strings, got a string$/);
  await failsWith(() => embedder.embed(untyped(['fine', 42])), 'INPUT_INVALID', /^text 1 must be a string, got a number$/);
});

test('ingest() without a source, options or collection names what is missing', async () => {
  await failsWith(() => ingest(untyped(undefined), { collection: 'notes' }), 'INPUT_INVALID', /^ingest\(\): source must be a non-empty string, got undefined$/);
  await failsWith(() => ingest(csv, untyped(undefined)), 'INPUT_INVALID', /^ingest\(\): options must be an object, got undefined$/);
  await failsWith(() => ingest(csv, untyped({ textFields: ['body'] })), 'INPUT_INVALID', /^ingest\(\): options\.collection must be a non-empty string, got undefined$/);
});

test('search() with no query, a query that is not text, or no collection', async () => {
  const model = await testEmbedder();
  await failsWith(() => search('notes', untyped(undefined), { store, model }), 'BAD_REQUEST', /^query must be a string or an array of strings, got undefined$/);
  await failsWith(() => search('notes', untyped(42), { store, model }), 'BAD_REQUEST', /^query must be a string or an array of strings, got number$/);
  await failsWith(() => search('notes', '\u0000\u0000', { store, model }), 'BAD_REQUEST', /^query is blank \(only NUL or other control characters\)$/);
  await failsWith(() => search(untyped(undefined), 'stars', { store, model }), 'INPUT_INVALID', /^search\(\): collection must be a non-empty string, got undefined$/);
  await failsWith(() => search('notes', 'stars', untyped(null)), 'INPUT_INVALID', /^search\(\): options must be an object, got null$/);
});

test('textFields as one string is that one column; a number is refused by name', async () => {
  const summary = await ingest(csv, { ...isolated(), collection: 'one-column', textFields: untyped('body'), idField: 'id', model: MODEL_DIR });
  assert.equal(summary.added, 2);
  const hits = await search('one-column', 'bread and yeast', { store, model: await testEmbedder() });
  assert.equal(hits[0].documentId, 'n2');
  assert.equal(hits[0].text, 'Sourdough rises because yeast ferments the dough.');
  await failsWith(() => ingest(csv, { ...isolated(), collection: 'bad-fields', textFields: untyped(7) }), 'INPUT_INVALID', /^textFields must be a name or an array of names, got a number$/);
});

test('a store refuses work after close(), with one line', async () => {
  const closed = openStore({ dataDir: iso.dataDir });
  await closed.listCollections();
  await closed.close();
  await failsWith(() => closed.listCollections(), 'STORE_UNAVAILABLE', /^this local store was closed; open another \(openStore\(\)\) to use the store again$/);
  await failsWith(() => closed.describe('notes'), 'STORE_UNAVAILABLE', /was closed/);
  await closed.close();
});

test('EMBEDLINE_DATA naming a file: one line naming it, not ENOTDIR …/aliases.json', async () => {
  const file = join(iso.dir, 'not-a-folder');
  writeFileSync(file, 'x');
  await withEnv({ EMBEDLINE_DATA: file }, async () => {
    const misplaced = openStore();
    const model = await testEmbedder();
    try {
      await failsWith(() => misplaced.listCollections(), 'CONFIG_INVALID', new RegExp(`^the data folder ${file} is not a folder \\(a file is in the way\\): set EMBEDLINE_DATA`));
      await failsWith(() => search('notes', 'stars', { store: misplaced, model }), 'CONFIG_INVALID', /is not a folder/);
    } finally {
      await misplaced.close();
    }
  });
});

test('EMBEDLINE_THREADS=1000000 is refused by name', async () => {
  await withEnv({ EMBEDLINE_THREADS: '1000000' }, () =>
    failsWith(() => loadEmbedder(MODEL_DIR), 'CONFIG_INVALID', /^invalid environment: EMBEDLINE_THREADS="1000000" must be a whole number from 1 to 1024$/),
  );
});
