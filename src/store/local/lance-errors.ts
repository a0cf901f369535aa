// Lance reports failures as plain Errors with a message; this maps them onto embedline's error
// codes so the worker can tell "try again" (a commit race, a busy disk) from "this will never work".
import { EmbedlineError, isEmbedlineError } from '../../errors.ts';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Lance's message in one line a user can act on: a full disk said as such (it arrives as
 * `LanceError(IO): No space left on device (os error 28), /usr/local/cargo/registry/…/writer.rs:362:9
 * Caused by: …`), anything else without its "Caused by" chain and the Rust source locations, which
 * name files of Lance's build machine, not of this one.
 */
export function lanceMessage(err: unknown): string {
  const message = messageOf(err);
  if (/no space left on device|os error 28|ENOSPC/i.test(message)) return 'the disk is full (no space left on device)';
  return message
    .split(/\s*Caused by:/)[0]
    .replace(/,?\s*\/\S+\.rs:\d+:\d+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Another writer committed first, or created the same thing: re-reading and trying again works. */
export function isCommitRace(err: unknown): boolean {
  return !isEmbedlineError(err) && /conflict|already exists/i.test(messageOf(err));
}

export function isTableMissing(err: unknown): boolean {
  return !isEmbedlineError(err) && /was not found|not found: .*\.lance/i.test(messageOf(err));
}

/** Lance refused the request itself (bad schema, bad SQL): retrying the same call cannot help. */
function isRejection(err: unknown): boolean {
  return /invalid input|invalid argument|schema error|InvalidArg|does not match/i.test(messageOf(err));
}

export function storeError(err: unknown, collection: string, action: string): EmbedlineError {
  if (isEmbedlineError(err)) return err;
  const details = { collection };
  if (isTableMissing(err)) {
    return new EmbedlineError('COLLECTION_MISSING', `collection "${collection}" does not exist`, { details, cause: err });
  }
  if (isRejection(err)) {
    return new EmbedlineError('STORE_REJECTED', `local store refused to ${action} in "${collection}": ${lanceMessage(err)}`, { details, cause: err });
  }
  // Everything else is I/O trouble or an exhausted commit race: worth retrying later.
  return new EmbedlineError('STORE_UNAVAILABLE', `local store could not ${action} in "${collection}": ${lanceMessage(err)}`, {
    retryable: true,
    details,
    cause: err,
  });
}
