// The one rule for collection names, checked where a name comes in (every CLI flag, the HTTP route,
// the stores) so the user hears it before anything is created. A name becomes a folder and a file
// name (the embedded store's table, the rejects file) and a Qdrant name; behind it the stores keep
// versions named `<name>__v<N>`, which must not eat into the 128 characters the user was promised.
import { EmbedlineError } from '../errors.ts';

export const MAX_COLLECTION_NAME_LENGTH = 128;

export const COLLECTION_NAME_RULE = `1-${MAX_COLLECTION_NAME_LENGTH} characters from letters A-Z a-z, digits, '_', '-' and '.', starting with a letter or digit, without '..'`;

const NAME = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${MAX_COLLECTION_NAME_LENGTH - 1}}$`);
const VERSION_SUFFIX = /__v\d+$/;

function isValidName(name: string): boolean {
  return NAME.test(name) && !name.includes('..');
}

/** Returns the name when it follows the rule; otherwise a one-line BAD_REQUEST naming the rule. */
export function checkCollectionName(name: string): string {
  if (!isValidName(name)) {
    const shown = name.length > 40 ? `${JSON.stringify(name.slice(0, 40)).slice(0, -1)}…" (${name.length} characters)` : JSON.stringify(name);
    throw new EmbedlineError('BAD_REQUEST', `invalid collection name ${shown}: use ${COLLECTION_NAME_RULE}`, {
      details: { collection: name.slice(0, 200) },
    });
  }
  return name;
}

/** A store's physical name: a valid collection name, or one followed by its version suffix. */
export function checkPhysicalCollectionName(physical: string): string {
  checkCollectionName(physical.replace(VERSION_SUFFIX, ''));
  return physical;
}
