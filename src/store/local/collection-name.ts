// Collection names become Lance table folder names: keep them to characters every filesystem and
// Lance accept, and refuse anything else before it reaches the disk.
import { EmbedlineError } from '../../errors.ts';

const VALID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function checkCollectionName(name: string): string {
  if (!VALID.test(name) || name.includes('..')) {
    throw new EmbedlineError(
      'BAD_REQUEST',
      `invalid collection name ${JSON.stringify(name)}: use 1-128 letters, digits, '_', '-' or '.', starting with a letter or digit`,
      { details: { collection: name } },
    );
  }
  return name;
}
