// The optional API key (EMBEDLINE_API_KEY) on every API request: `Authorization: Bearer <key>`.
// /admin/* also takes HTTP Basic with the key as the password, so that a browser opening Bull
// Board asks for it natively (a browser cannot add a Bearer header to a page it navigates to).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiRequest } from './api-paths.ts';
import { sendError } from './error-body.ts';

export function requireApiKey(app: FastifyInstance, apiKey: string): void {
  const expected = digest(apiKey);
  app.addHook('onRequest', async (request, reply) => {
    if (!isApiRequest(request)) return;
    const presented = presentedKey(request);
    // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    const admin = request.url.startsWith('/admin/');
    reply.header('WWW-Authenticate', admin ? 'Basic realm="embedline admin", charset="UTF-8"' : 'Bearer realm="embedline"');
    // Sent here rather than thrown: Bull Board's routes have their own error handler and shape.
    return sendError(reply, 'UNAUTHORIZED', presented === undefined ? 'API key required: send Authorization: Bearer <key>' : 'wrong API key');
  });
}

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  return undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
