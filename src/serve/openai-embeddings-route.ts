// The OpenAI-compatible embedding API, so that code written for OpenAI's embeddings (the official
// client libraries with baseURL pointed here, LangChain, LlamaIndex, …) works unchanged:
// POST /v1/embeddings, GET /v1/models and GET /v1/models/{id}. `model` names the served model
// folder or a collection; errors on these routes have OpenAI's shape (openai-error-body.ts).
import { statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { EmbedlineError } from '../errors.ts';
import type { EmbeddingInputs, EmbeddingService } from './embedding-service.ts';
import type { EmbeddingTargets } from './embedding-targets.ts';
import { abandonedSignal } from './answer-timeout.ts';
import { useOpenAiErrorBodies } from './openai-error-body.ts';

/** Inputs per request, as OpenAI's own limit. */
export const MAX_EMBEDDING_INPUTS = 2048;
/** Room for a full batch of long inputs (2048 × ~1 KB); search keeps its 64 KiB. */
export const EMBEDDINGS_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

interface EmbeddingsBody {
  model: string;
  input: unknown;
  encoding_format: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  truncate: boolean;
  prompt_name?: string | null;
}

const bodySchema = {
  type: 'object',
  required: ['model', 'input'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 256, description: 'the served model folder (GET /v1/models) or a collection name' },
    // Checked by parseInput, whose message says which shapes are accepted.
    input: {
      description: `a string, an array of up to ${MAX_EMBEDDING_INPUTS} strings, an array of token ids, or an array of token-id arrays (the model tokenizer's ids, without special tokens)`,
      examples: ['how do stars produce energy', ['first text', 'second text']],
    },
    encoding_format: { type: 'string', enum: ['float', 'base64'], default: 'float', description: 'base64: little-endian float32 bytes' },
    dimensions: { type: 'integer', minimum: 1, description: "accepted only when equal to the model's dimensions" },
    user: { type: 'string', maxLength: 256 },
    truncate: { type: 'boolean', default: false, description: "embedline extension: cut inputs over the model's token limit instead of failing" },
    prompt_name: {
      type: ['string', 'null'],
      description: "embedline extension, as TEI takes it: one of the model's prompts (config_sentence_transformers.json `prompts`, e.g. query), put before every input; unset or null: the model's default prompt, if any",
    },
  },
} as const;

const isTokenIds = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((id) => Number.isInteger(id));

function parseInput(input: unknown): EmbeddingInputs {
  const shapes = 'body.input must be a string, a non-empty array of strings, an array of token ids, or an array of token-id arrays';
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) throw new EmbedlineError('BAD_REQUEST', shapes);
  if (input.length > MAX_EMBEDDING_INPUTS) throw new EmbedlineError('BAD_REQUEST', `body.input holds ${input.length} inputs, over the limit of ${MAX_EMBEDDING_INPUTS}`);
  if (input.every((v) => typeof v === 'string')) return input as string[];
  if (isTokenIds(input)) return [input];
  if (input.every(isTokenIds)) return input as number[][];
  throw new EmbedlineError('BAD_REQUEST', shapes);
}

function base64Vector(vector: Float32Array): string {
  // Float32Array is little-endian on every platform Node runs on, as OpenAI's base64 format is.
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export async function registerOpenAiEmbeddingRoutes(app: FastifyInstance, targets: EmbeddingTargets, embeddings: EmbeddingService): Promise<void> {
  const modelEntry = (id: string) => ({ id, object: 'model', created: folderCreated(), owned_by: 'embedline' });
  const folderCreated = () => {
    try {
      return Math.floor(statSync(targets.modelDir).mtimeMs / 1000);
    } catch {
      return 0;
    }
  };

  await app.register(async (scope) => {
    useOpenAiErrorBodies(scope);

    scope.post<{ Body: EmbeddingsBody }>(
      '/v1/embeddings',
      {
        bodyLimit: EMBEDDINGS_BODY_LIMIT_BYTES,
        schema: { tags: ['embeddings'], summary: 'Embeddings, OpenAI wire format', security: [{ bearer: [] }], body: bodySchema },
      },
      async (request) => {
        const { model, encoding_format: format, dimensions, truncate } = request.body;
        const inputs = parseInput(request.body.input);
        const target = await targets.resolve(model);
        const dims = target.embedder.info.dims;
        if (dimensions !== undefined && dimensions !== dims) {
          throw new EmbedlineError('BAD_REQUEST', `body.dimensions must be ${dims} for model "${model}" (its vectors cannot be shortened)`);
        }
        const promptName = request.body.prompt_name ?? undefined;
        const { vectors, tokens } = await embeddings.embed(target, inputs, { truncate, promptName, signal: abandonedSignal(request) });
        return {
          object: 'list',
          data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? base64Vector(v) : Array.from(v) })),
          model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        };
      },
    );

    scope.get('/v1/models', { schema: { tags: ['embeddings'], summary: 'The served model folder, OpenAI wire format', security: [{ bearer: [] }] } }, async () => ({
      object: 'list',
      data: [modelEntry(targets.folderName)],
    }));

    scope.get<{ Params: { id: string } }>(
      '/v1/models/:id',
      { schema: { tags: ['embeddings'], summary: 'One model (the folder, or a collection by name)', security: [{ bearer: [] }] } },
      async (request) => {
        await targets.resolve(request.params.id);
        return modelEntry(request.params.id);
      },
    );
  });
}
