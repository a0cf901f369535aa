// Hugging Face Text Embeddings Inference (TEI) compatible routes, so clients written for a TEI
// server (huggingface_hub's InferenceClient.feature_extraction, LangChain's HuggingFace
// endpoints, plain HTTP) can use embedline: POST /embed and GET /info, on the served model folder.
import type { FastifyInstance } from 'fastify';
import type { EmbeddingService } from '../embedding-service.ts';
import type { EmbeddingTargets } from '../embedding-targets.ts';
import { abandonedSignal } from './answer-timeout.ts';
import { errorBodySchema } from './error-body.ts';
import { EMBEDDINGS_BODY_LIMIT_BYTES, MAX_EMBEDDING_INPUTS } from './openai-embeddings-route.ts';
import { NOT_BLANK } from './validation-message.ts';

interface EmbedBody {
  inputs: string | string[];
  normalize: boolean;
  truncate: boolean;
  truncation_direction?: string;
}

const text = { type: 'string', minLength: 1, pattern: NOT_BLANK } as const;

const bodySchema = {
  type: 'object',
  required: ['inputs'],
  additionalProperties: false,
  properties: {
    inputs: { anyOf: [text, { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: text }], description: 'a text or an array of texts' },
    normalize: { type: 'boolean', default: true },
    truncate: { type: 'boolean', default: false, description: "cut inputs over the model's token limit instead of failing" },
    truncation_direction: { type: 'string', enum: ['Right', 'right'], description: 'only Right: the end of a text is cut' },
  },
} as const;

export function registerTeiRoutes(app: FastifyInstance, targets: EmbeddingTargets, embeddings: EmbeddingService): void {
  app.post<{ Body: EmbedBody }>(
    '/embed',
    {
      bodyLimit: EMBEDDINGS_BODY_LIMIT_BYTES,
      schema: {
        tags: ['embeddings'],
        summary: 'Embeddings, TEI wire format: one vector per input',
        security: [{ bearer: [] }],
        body: bodySchema,
        response: { 200: { type: 'array', items: { type: 'array', items: { type: 'number' } } }, '4xx': errorBodySchema, '5xx': errorBodySchema },
      },
    },
    async (request) => {
      const { inputs, normalize, truncate } = request.body;
      const { vectors } = await embeddings.embed(await targets.folder(), typeof inputs === 'string' ? [inputs] : inputs, { truncate, normalize, signal: abandonedSignal(request) });
      return vectors.map((v) => Array.from(v));
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
