// Collections made before prompts existed keep working: a spec written the old way (no queryPrompt,
// no documentPrompt) still equals what the same model and choices ask for today, ingest and
// workers accept it, and a search of it embeds queries with no prompt and finds its chunks. A
// spec that records prompts differs from one that asks for others, field by field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { specDifferences, specForModel, type CollectionSpec } from '../../src/contracts/collection-spec.ts';
import { CollectionModels } from '../../src/search/collection-models.ts';
import { SearchService } from '../../src/search/search-service.ts';
import { openStoreOfKind } from '../../src/store/open-store.ts';
import { pointId } from '../../src/store/point-id.ts';
import { MODEL_DIR, testEmbedder } from '../support/model.ts';
import { rejectsWithCode } from '../store/store-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedline-old-spec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TEXTS = ['Stars produce energy by fusing hydrogen into helium in their cores.', 'Sourdough bread rises because wild yeast ferments the dough.'];

test('a collection spec written before prompts matches today\'s and stays searchable', async () => {
  const embedder = await testEmbedder({ threads: 1 });
  assert.deepEqual(embedder.info.defaultPrompts, { query: '', document: '' }, 'MiniLM declares no prompts');
  // Exactly the fields a spec had before prompts, written out by hand as an old collection holds them.
  const old: CollectionSpec = {
    model: embedder.info.name,
    modelChecksum: embedder.info.checksum,
    dims: embedder.info.dims,
    pooling: embedder.info.defaultPooling,
    normalize: true,
    distance: 'cosine',
    chunkTokens: 254,
    overlap: 32,
  };
  const today = specForModel(embedder.info, { chunkTokens: 254, overlap: 32 });
  assert.deepEqual(specDifferences(old, today), []);
  assert.equal('queryPrompt' in today || 'documentPrompt' in today, false, 'no prompt fields are written for a model without prompts');

  const store = openStoreOfKind('local', { dataDir: dir });
  try {
    await store.ensureCollection('old', old);
    // Creating it again with today's spec is accepted (ingest does this before every run).
    await store.ensureCollection('old', today);
    const { vectors } = await embedder.embed(TEXTS);
    await store.upsert(
      'old',
      TEXTS.map((text, i) => ({
        id: pointId('old', `d${i}`, 0),
        vector: vectors[i],
        chunk: { documentId: `d${i}`, chunkIndex: 0, text, start: 0, end: text.length, tokens: 0, contentHash: `h${i}`, metadata: {} },
      })),
    );
    const search = new SearchService(store, new CollectionModels(MODEL_DIR, { threads: 1 }));
    const { hits } = await search.search('old', 'how do stars shine', { k: 2 });
    assert.equal(hits[0].documentId, 'd0');
    // The query got no prompt: its score is the cosine of the bare query's vector with the chunk's.
    const [query] = (await embedder.embed(['how do stars shine'])).vectors;
    const expected = query.reduce((sum, x, i) => sum + x * vectors[0][i], 0);
    assert.ok(Math.abs(hits[0].score - expected) < 1e-5, `score ${hits[0].score} vs ${expected}`);
    // Asking for no prompt is what the collection has; asking for one is refused like another pooling.
    assert.equal((await search.search('old', 'bread', { k: 1, queryPrompt: '' })).hits[0].documentId, 'd1');
    await rejectsWithCode(search.search('old', 'bread', { queryPrompt: 'query: ' }), 'COLLECTION_MISMATCH', /queryPrompt: collection has "", requested "query: "/);
  } finally {
    await store.close();
  }
});

test('specs with prompts: a different prompt on either side is a difference, an unset one is ""', () => {
  const info = { name: 'e5', checksum: 'abc', dims: 4, defaultPooling: 'mean' as const, normalize: true, defaultPrompts: { query: 'query: ', document: 'passage: ' } };
  const e5 = specForModel(info, { chunkTokens: 100, overlap: 10 });
  assert.equal(e5.queryPrompt, 'query: ');
  assert.equal(e5.documentPrompt, 'passage: ');
  const plain = specForModel(info, { chunkTokens: 100, overlap: 10, prompts: { query: '', document: '' } });
  assert.equal('queryPrompt' in plain || 'documentPrompt' in plain, false);
  assert.deepEqual(specDifferences(e5, plain), [
    'queryPrompt: collection has "query: ", requested ""',
    'documentPrompt: collection has "passage: ", requested ""',
  ]);
  const otherDocs = specForModel(info, { chunkTokens: 100, overlap: 10, prompts: { document: 'document: ' } });
  assert.deepEqual(specDifferences(e5, otherDocs), ['documentPrompt: collection has "passage: ", requested "document: "']);
});
