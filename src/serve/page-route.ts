// The search page at `/`: static files from src/serve/page, public (the page asks for the API key
// when the API answers 401). A strict Content-Security-Policy: the page loads only its own files.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

export async function registerPageRoute(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: PAGE_DIR,
    prefix: '/',
    index: 'index.html',
    // Served by fastify-static's wildcard route; only the page's own files, never a directory listing.
    list: false,
    setHeaders: (reply) => {
      reply.header('Content-Security-Policy', CSP);
      reply.header('X-Content-Type-Options', 'nosniff');
    },
  });
}
