import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHash } from '../../../src/producer/chunking/content-hash.ts';

const settings = { chunkTokens: 254, overlap: 32 };
const doc = { text: 'The bank raised rates.', metadata: { section: 'economy', score: 4.5, draft: false, editor: null } };

test('the same document and settings always hash the same, whatever the metadata key order', () => {
  const reordered = { text: doc.text, metadata: { editor: null, draft: false, score: 4.5, section: 'economy' } };

  assert.equal(contentHash(reordered, settings), contentHash(doc, settings));
  // Pinned: a change to the hash's format would re-embed every stored document. If it is intended,
  // bump CHUNKER_VERSION and update this value.
  assert.equal(contentHash(doc, settings), '7e8fca986cbef43007f5f83ff277fb3fbbf0ff42c16871e2f28202978d2b2be0');
});

test('any change to the text, a metadata value, the chunk size or the overlap changes the hash', () => {
  const base = contentHash(doc, settings);

  const variants = [
    contentHash({ ...doc, text: 'The bank raised rates!' }, settings),
    contentHash({ ...doc, text: `${doc.text} ` }, settings),
    contentHash({ ...doc, metadata: { ...doc.metadata, score: 4.6 } }, settings),
    contentHash({ ...doc, metadata: { ...doc.metadata, score: '4.5' } }, settings),
    contentHash({ ...doc, metadata: { ...doc.metadata, extra: null } }, settings),
    contentHash(doc, { chunkTokens: 128, overlap: 32 }),
    contentHash(doc, { chunkTokens: 254, overlap: 0 }),
    // Text and metadata cannot trade places: the text that looks like metadata is still text.
    contentHash({ text: '', metadata: doc.metadata }, settings),
  ];

  assert.equal(new Set([base, ...variants]).size, variants.length + 1);
});
