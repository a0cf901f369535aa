// A chunk plus its document prompt always fits the model: with a prompt, the chunk settings leave
// room for the prompt's tokens, and every window is measured as the model will see it (prompt +
// chunk). Without that room (the settings of a model with no prompt) the same prompt overflows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkSettingsForModel } from '../../../src/producer/chunking/chunk-settings.ts';
import { documentTokenizer } from '../../../src/producer/chunking/chunk-tokenizer.ts';
import { chunkDocument } from '../../../src/producer/chunking/chunker.ts';
import { testEmbedder } from '../../support/model.ts';
import { messyDocument, prose, seededRandom } from '../text-generator.ts';

const PROMPT = 'Represent this document for retrieval of relevant passages: ';

test('every chunk plus its document prompt fits the model; the prompt takes its tokens from the chunk', async () => {
  const embedder = await testEmbedder({ threads: 1 });
  const limit = embedder.info.maxTokens;
  const promptTokens = embedder.tokenizer.encodeContent(PROMPT).length;
  const withRoom = chunkSettingsForModel(embedder, PROMPT);
  const withoutRoom = chunkSettingsForModel(embedder, '');
  assert.equal(withoutRoom.chunkTokens - withRoom.chunkTokens, promptTokens, 'the default chunk size shrinks by the prompt\'s tokens');
  assert.throws(() => chunkSettingsForModel(embedder, PROMPT, { chunkTokens: withoutRoom.chunkTokens }), new RegExp(`--chunk-tokens \\(chunkTokens\\) must be a whole number from 16 to ${withRoom.chunkTokens} \\(the model's limit of ${limit} minus 2 special tokens and ${promptTokens} of the document prompt\\)`));

  const tokenizer = documentTokenizer(embedder.tokenizer, PROMPT);
  const random = seededRandom(7);
  const documents = [prose(random, 12), messyDocument(random), messyDocument(random), prose(random, 30)];
  let chunks = 0;
  let overflowWithoutRoom = 0;
  for (const [i, text] of documents.entries()) {
    for (const chunk of chunkDocument({ id: `d${i}`, text, metadata: {} }, tokenizer, withRoom)) {
      const seen = embedder.tokenizer.encode(PROMPT + chunk.text).length;
      assert.ok(seen <= limit, `chunk ${i}#${chunk.chunkIndex}: prompt + chunk is ${seen} tokens, over ${limit}`);
      assert.equal(chunk.tokens, seen, 'a chunk counts the tokens the model sees, prompt included');
      chunks++;
    }
    for (const chunk of chunkDocument({ id: `d${i}`, text, metadata: {} }, embedder.tokenizer, withoutRoom)) {
      if (embedder.tokenizer.encode(PROMPT + chunk.text).length > limit) overflowWithoutRoom++;
    }
  }
  assert.ok(chunks > documents.length, `long documents make several chunks (${chunks})`);
  assert.ok(overflowWithoutRoom > 0, 'without room for the prompt some chunks would not fit');
  // Embedding a prompted chunk is within the limit (the embedder counts the prompt too).
  const { tokens } = await embedder.embed([documents[0].slice(0, 2000)], { prompt: PROMPT, truncate: true });
  assert.ok(tokens[0] <= limit);
});
