// Hugging Face Text Embeddings Inference (TEI) compatible routes, so clients written for a TEI
// server (huggingface_hub's InferenceClient.feature_extraction, LangChain's HuggingFace
// endpoints, plain HTTP) can use embedline, on the served model folder: POST /embed and POST /
// (TEI's default route, where InferenceClient("http://host:port") posts), POST /embed_all (every
// token's vector, unpooled), POST /tokenize and GET /info, with TEI's request and answer shapes.
// /tokenize gives no character offsets (start and stop are null, which TEI's schema allows): the
// tokenizer we run does not report them; `text` is the token as the vocabulary spells it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmbeddingService } from './embedding-service.ts';
import type { EmbeddingTargets } from './embedding-targets.ts';
import { abandonedSignal } from './answer-timeout.ts';
import { errorBodySchema } from './error-body.ts';
import { EMBEDDINGS_BODY_LIMIT_BYTES, MAX_EMBEDDING_INPUTS } from './openai-embeddings-route.ts';
import { NOT_BLANK } from './validation-message.ts';

interface EmbedBody {
  inputs: string | string[];
  normalize: boolean;
  truncate: boolean;
  truncation_direction?: string;
  prompt_name?: string | null;
}

type EmbedAllBody = Omit<EmbedBody, 'normalize'>;

interface TokenizeBody {
  inputs: string | string[];
  add_special_tokens: boolean;
}

const text = { type: 'string', minLength: 1, pattern: NOT_BLANK } as const;
const texts = { anyOf: [text, { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: text }], description: 'a text or an array of texts' } as const;
const truncation = {
  truncate: { type: 'boolean', default: false, description: "cut inputs over the model's token limit instead of failing" },
  truncation_direction: { type: 'string', enum: ['Right', 'right'], description: 'only Right: the end of a text is cut' },
  prompt_name: {
    type: ['string', 'null'],
    description: "one of the model's prompts (config_sentence_transformers.json `prompts`, e.g. query), put before every input; unset or null: the model's default prompt, if any",
  },
} as const;

const embedBodySchema = {
  type: 'object',
  required: ['inputs'],
  additionalProperties: false,
  properties: { inputs: texts, normalize: { type: 'boolean', default: true }, ...truncation },
} as const;

const embedAllBodySchema = { type: 'object', required: ['inputs'], additionalProperties: false, properties: { inputs: texts, ...truncation } } as const;

const tokenizeBodySchema = {
  type: 'object',
  required: ['inputs'],
  additionalProperties: false,
  properties: {
    // Any text may be tokenized, an empty one too (it is only [CLS] [SEP]).
    inputs: { anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: { type: 'string' } }] },
    add_special_tokens: { type: 'boolean', default: true },
  },
} as const;

const numbers = { type: 'array', items: { type: 'number' } } as const;
const errors = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const;
const nullableInteger = { type: ['integer', 'null'] } as const;
const tokenSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, text: { type: 'string' }, special: { type: 'boolean' }, start: nullableInteger, stop: nullableInteger },
} as const;

const asList = (inputs: string | string[]) => (typeof inputs === 'string' ? [inputs] : inputs);

/** What every TEI POST route shares: the embedding endpoints' body limit, the tag, the API key, the error shape. */
function postOptions(summary: string, body: object, answer: object) {
  return {
    bodyLimit: EMBEDDINGS_BODY_LIMIT_BYTES,
    schema: { tags: ['embeddings'], summary, security: [{ bearer: [] }], body, response: { 200: answer, ...errors } },
  };
}

export function registerTeiRoutes(app: FastifyInstance, targets: EmbeddingTargets, embeddings: EmbeddingService): void {
  const embed = async (request: FastifyRequest<{ Body: EmbedBody }>) => {
    const { inputs, normalize, truncate } = request.body;
    const promptName = request.body.prompt_name ?? undefined;
    const { vectors } = await embeddings.embed(await targets.folder(), asList(inputs), { truncate, normalize, promptName, signal: abandonedSignal(request) });
    return vectors.map((v) => Array.from(v));
  };
  // TEI answers POST / as /embed for an embedding model; its clients post there by default.
  for (const [url, summary] of [
    ['/embed', 'Embeddings, TEI wire format: one vector per input'],
    ['/', "Embeddings, TEI wire format: TEI's default route, the same as POST /embed"],
  ] as const) {
    app.post<{ Body: EmbedBody }>(url, postOptions(summary, embedBodySchema, { type: 'array', items: numbers }), embed);
  }

  app.post<{ Body: EmbedAllBody }>(
    '/embed_all',
    postOptions(
      "Every token's vector, unpooled (the model's last hidden state), TEI wire format: per input, one vector per token",
      embedAllBodySchema,
      { type: 'array', items: { type: 'array', items: numbers } },
    ),
    async (request) => {
      const { inputs, truncate } = request.body;
      const promptName = request.body.prompt_name ?? undefined;
      const { states } = await embeddings.embedAll(await targets.folder(), asList(inputs), { truncate, promptName, signal: abandonedSignal(request) });
      return states.map((tokens) => tokens.map((v) => Array.from(v)));
    },
  );

  app.post<{ Body: TokenizeBody }>(
    '/tokenize',
    postOptions("The served model's tokens for each input, TEI wire format (start and stop are null: no offsets)", tokenizeBodySchema, {
      type: 'array',
      items: { type: 'array', items: tokenSchema },
    }),
    async (request) => {
      const { tokenizer } = (await targets.folder()).embedder;
      return asList(request.body.inputs).map((input) => tokenizer.pieces(input, request.body.add_special_tokens).map((piece) => ({ ...piece, start: null, stop: null })));
    },
  );

  app.get('/info', { schema: { tags: ['embeddings'], summary: 'The served model, TEI wire format', security: [{ bearer: [] }] } }, async () => {
    const { embedder, pooling } = await targets.folder();
    const { info } = embedder;
    return {
      model_id: targets.folderName,
      model_sha: info.checksum,
      model_dtype: 'float32',
      model_type: { embedding: { pooling } },
      dims: info.dims,
      max_input_length: info.maxTokens,
      max_batch_tokens: embedder.maxBatchTokens,
      max_client_batch_size: MAX_EMBEDDING_INPUTS,
      normalize: info.normalize,
    };
  });
}
