// One search result, as every store returns it and every API prints it (`embedline search --json`,
// the library, HTTP): the type and its JSON schema, for the HTTP response and the OpenAPI document.
// The schema's `satisfies` makes the compiler refuse a field that the type has and the schema lacks,
// or the other way round: fastify's serializer drops whatever the schema does not list, which is
// how `start`/`end` once went missing over HTTP.
import type { Metadata } from './chunk.ts';

export interface SearchHit {
  id: string;
  score: number;
  documentId: string;
  chunkIndex: number;
  text: string;
  start: number;
  end: number;
  metadata: Metadata;
}

const hitProperties = {
  id: { type: 'string', description: "the chunk's point id" },
  score: { type: 'number', description: 'similarity to the query; higher is closer' },
  documentId: { type: 'string' },
  chunkIndex: { type: 'integer', description: "the chunk's position in its document, from 0" },
  text: { type: 'string', description: "the chunk's text: the document's text from start to end" },
  start: { type: 'integer', description: "offset of the chunk's first character in the document's text (UTF-16 code units)" },
  end: { type: 'integer', description: "offset just past the chunk's last character (UTF-16 code units)" },
  metadata: { type: 'object', additionalProperties: true },
} as const satisfies Record<keyof SearchHit, object>;

export const searchHitSchema = {
  type: 'object',
  properties: hitProperties,
  required: Object.keys(hitProperties) as Array<keyof SearchHit>,
} as const;

