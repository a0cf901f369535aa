// Model prompts (src/embed/prompts.ts) and the length limit every family's graph can take
// (src/embed/model-info.ts): which prompt a query and a chunk get from config_sentence_transformers.json,
// a bad file or an unknown prompt name is one line naming it, and RoBERTa-family position
// embeddings lose their padding offset (XLM-RoBERTa's and MPNet's 514 positions hold 512 tokens).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lengthLimitFromConfig, usablePositions } from '../../src/embed/model-info.ts';
import { defaultPrompt, promptByName, promptsFromConfig, resolvePrompts } from '../../src/embed/prompts.ts';
import { rejectsWithCode } from '../store/store-fixtures.ts';

const FILE = 'm/config_sentence_transformers.json';

test('prompts: E5 (query/passage), BGE (query only), a default prompt, and no file', () => {
  const e5 = promptsFromConfig({ prompts: { query: 'query: ', passage: 'passage: ' }, default_prompt_name: null }, FILE);
  assert.deepEqual(resolvePrompts(e5), { query: 'query: ', document: 'passage: ' });
  const bge = promptsFromConfig({ prompts: { query: 'Represent this sentence for searching relevant passages: ', document: '' } }, FILE);
  assert.deepEqual(resolvePrompts(bge), { query: 'Represent this sentence for searching relevant passages: ', document: '' });
  const withDefault = promptsFromConfig({ prompts: { query: 'q: ', classification: 'c: ' }, default_prompt_name: 'classification' }, FILE);
  // The side without its own prompt gets the default one, as encode() without a prompt would.
  assert.deepEqual(resolvePrompts(withDefault), { query: 'q: ', document: 'c: ' });
  assert.equal(defaultPrompt(withDefault), 'c: ');
  assert.equal(defaultPrompt(e5), '');
  assert.deepEqual(resolvePrompts(promptsFromConfig(undefined, FILE)), { query: '', document: '' });
  // Overrides win, and "" turns a prompt off.
  assert.deepEqual(resolvePrompts(e5, { document: '' }), { query: 'query: ', document: '' });
  assert.deepEqual(resolvePrompts(e5, { query: 'search_query: ' }), { query: 'search_query: ', document: 'passage: ' });
});

test('prompts: a malformed file and an unknown prompt name are one line naming them', async () => {
  assert.throws(() => promptsFromConfig({ prompts: ['query: '] }, FILE), (err: Error) => err.message.includes(FILE) && err.message.includes('"prompts"'));
  assert.throws(() => promptsFromConfig({ prompts: { query: 3 } }, FILE), /prompt "query" must be a string/);
  assert.throws(() => promptsFromConfig({ prompts: { query: 'q: ' }, default_prompt_name: 'passage' }, FILE), /default_prompt_name "passage" is not one of its prompts \(query\)/);
  const e5 = promptsFromConfig({ prompts: { query: 'query: ', passage: 'passage: ' } }, FILE);
  assert.equal(promptByName(e5, 'passage', 'e5'), 'passage: ');
  await rejectsWithCode((async () => promptByName(e5, 'document', 'e5'))(), 'BAD_REQUEST', /prompt_name "document" is not a prompt of model e5 \(its prompts: query, passage\)/);
  await rejectsWithCode((async () => promptByName({ prompts: {} }, 'query', 'minilm'))(), 'BAD_REQUEST', /declares no prompts/);
  // Inherited object keys are not prompts.
  await rejectsWithCode((async () => promptByName(e5, 'constructor', 'e5'))(), 'BAD_REQUEST', /constructor/);
});

/** A model folder's length-limit inputs, as readModelFiles gives them. */
function files(config: Record<string, unknown>, maxSeqLength?: number, modelMaxLength?: number) {
  return {
    dir: 'm',
    config,
    sentenceBertConfig: maxSeqLength === undefined ? undefined : { max_seq_length: maxSeqLength },
    tokenizerConfig: modelMaxLength === undefined ? {} : { model_max_length: modelMaxLength },
  };
}

test('length limit: every family gets a limit its position embeddings can take', () => {
  const cases: Array<[string, ReturnType<typeof files>, number]> = [
    ['BERT, no sentence-transformers files', files({ model_type: 'bert', max_position_embeddings: 512 }), 512],
    ['MiniLM: max_seq_length under the positions', files({ model_type: 'bert', max_position_embeddings: 512 }, 256, 512), 256],
    ['XLM-RoBERTa checkpoint: 514 positions, padding offset 2', files({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 }), 512],
    ['XLM-RoBERTa: its tokenizer says 512 too', files({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 }, undefined, 512), 512],
    ['multilingual-e5: max_seq_length 512', files({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 }, 512, 512), 512],
    ['a max_seq_length past the positions is capped', files({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 1 }, 514), 512],
    ['MPNet: 514 positions, offset 2', files({ model_type: 'mpnet', max_position_embeddings: 514, pad_token_id: 1 }, 384), 384],
    ['MPNet without sentence-transformers files', files({ model_type: 'mpnet', max_position_embeddings: 514, pad_token_id: 1 }), 512],
    ['RoBERTa', files({ model_type: 'roberta', max_position_embeddings: 514, pad_token_id: 1 }, undefined, 1e30), 512],
    ['tiny XLM-RoBERTa (130 positions)', files({ model_type: 'xlm-roberta', max_position_embeddings: 130, pad_token_id: 1 }), 128],
    ['DistilBERT: no offset', files({ model_type: 'distilbert', max_position_embeddings: 512 }), 512],
    ['bert-base-chinese: tokenizer limit 512', files({ model_type: 'bert', max_position_embeddings: 512 }, undefined, 512), 512],
    ['a tokenizer limit below the positions, no max_seq_length', files({ model_type: 'bert', max_position_embeddings: 512 }, undefined, 128), 128],
    ['an unlimited tokenizer (1e30) is no limit', files({ model_type: 'bert', max_position_embeddings: 512 }, undefined, 1e30), 512],
  ];
  for (const [name, given, expected] of cases) assert.equal(lengthLimitFromConfig(given), expected, name);
  assert.equal(usablePositions({ model_type: 'xlm-roberta', max_position_embeddings: 514, pad_token_id: 0 }), 513);
  assert.equal(usablePositions({ model_type: 'bert' }), undefined);
  assert.throws(() => lengthLimitFromConfig(files({ model_type: 'bert' })), /m: no usable length limit/);
});
