// How request bodies are read: JSON only. A body of another type (text/plain included, which
// fastify would otherwise hand to the route as a string, answered "body must be an object") is 415
// UNSUPPORTED_MEDIA_TYPE. A JSON key "__proto__" is refused by name: fastify's own parser refuses
// it too, but as "body is not valid JSON", which sends a client looking for a syntax error that
// is not there. Invalid and empty bodies keep fastify's errors, so their answers stay the ones
// error-handler.ts gives them.
import { errorCodes, type FastifyInstance } from 'fastify';
import { EmbedlineError } from '../errors.ts';

/** The key that names an object's prototype in JavaScript: never a field of ours. */
const PROTOTYPE_KEY = '__proto__';

export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser(['text/plain', 'application/json']);
  // parseAs 'string': fastify reads the body, enforcing each route's bodyLimit, and hands it here.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), undefined);
    let prototypeKey = false;
    let value: unknown;
    try {
      // The reviver sees every key, including escaped spellings ("\u005f_proto__") a text search would miss.
      value = JSON.parse(text, (key, v: unknown) => {
        if (key === PROTOTYPE_KEY) prototypeKey = true;
        return v;
      });
    } catch (err) {
      // Valid JSON nested deeper than the reviver's recursion can follow (tens of thousands of levels).
      if (err instanceof RangeError) return done(new EmbedlineError('BAD_REQUEST', 'body nests too deeply'), undefined);
      return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), undefined);
    }
    if (prototypeKey) {
      return done(new EmbedlineError('BAD_REQUEST', `body holds the key "${PROTOTYPE_KEY}", which is refused (it names an object's prototype); rename that field`), undefined);
    }
    done(null, value);
  });
}
